import { useStudioActions, useStudioState } from '../StudioContext';
import { TRAINING_PRESETS } from '../training/trainingPresets';

/** The Train panel's network: the preset's widths and depth as a U-Net or a UNet++, and UNet++'s deep supervision. */
export function NetworkChoiceFields() {
  const choices = useStudioState((s) => s.trainingChoices);
  const { setTrainingChoices } = useStudioActions();
  // UNet++ is built same-padded only (its reference implementation); the paper preset is valid-padded.
  const unetPlusPlusOffered = TRAINING_PRESETS[choices.preset].settings.unet.padding === 'same';
  const architecture = choices.architecture ?? 'unet';
  return (
    <div className="training-panel-fields">
      <label className="training-panel-field">
        <span>Architecture</span>
        <select value={architecture} onChange={(event) => setTrainingChoices({ architecture: event.target.value === 'unetpp' ? 'unetpp' : 'unet' })}>
          <option value="unet">U-Net</option>
          <option value="unetpp" disabled={!unetPlusPlusOffered}>{unetPlusPlusOffered ? 'UNet++' : 'UNet++ (same-padded presets only)'}</option>
        </select>
      </label>
      <label className="training-panel-check" title="A head on every top node, trained on their mean loss: prediction can then be pruned to a smaller, faster level">
        <input
          type="checkbox"
          checked={architecture === 'unetpp' && (choices.deepSupervision ?? true)}
          disabled={architecture !== 'unetpp'}
          onChange={(event) => setTrainingChoices({ deepSupervision: event.target.checked })}
        />
        Deep supervision
      </label>
    </div>
  );
}
