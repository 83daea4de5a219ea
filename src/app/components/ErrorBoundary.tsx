import type { ErrorInfo, ReactNode } from 'react';
import { Component } from 'react';

interface Props { readonly name: string; readonly children: ReactNode }
interface State { readonly error: Error | null }

/** Keeps one broken panel from taking the page (and the user's work) down with it. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`The ${this.props.name} panel failed`, error, info.componentStack);
  }

  override render() {
    if (this.state.error) {
      return (
        <div role="alert" className="panel-error">
          The {this.props.name} panel failed: {this.state.error.message}. Your work is kept; reload the page to try again.
        </div>
      );
    }
    return this.props.children;
  }
}
