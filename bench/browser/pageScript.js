/* global window, document */
/**
 * Injected into the studio page (Playwright addInitScript, before the app's own scripts) for the
 * browser rows of `npm run bench` (bench/cases/browser.ts). Plain JavaScript, passed as text: tsx's
 * transpiled functions cannot be serialised into the page. Drives the engine worker through
 * `window.__studio.engine` (the page needs ?test-hooks), times requests with the page's clock at the
 * moment each event arrives, and records main-thread long tasks and the JS heap meanwhile.
 */
(() => {
  const longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no long-task support: the counts read 0
  }

  let engine = null;
  const waiters = [];
  const eventsByRun = new Map();

  /** Small fields of an event, with the page time it arrived (the big arrays are dropped). */
  function summary(event) {
    const { type, runId, step, steps, loss, index, total, tilePx, error, memory } = event;
    return { type, runId, step, steps, loss, index, total, tilePx, error, memory, at: window.performance.now() };
  }

  function getEngine() {
    if (engine) return engine;
    const studio = window.__studio;
    if (!studio) throw new Error('window.__studio is missing: open the page with ?test-hooks');
    engine = studio.engine;
    engine.subscribe((event) => {
      const s = summary(event);
      if (!eventsByRun.has(s.runId)) eventsByRun.set(s.runId, []);
      eventsByRun.get(s.runId).push(s);
      for (const waiter of [...waiters]) waiter(s);
    });
    return engine;
  }

  /** Resolves with the first event of `type` for `runId`; rejects on its error event or after timeoutMs. */
  function waitFor(runId, type, timeoutMs) {
    return new Promise((resolve, reject) => {
      const past = (eventsByRun.get(runId) || []).find((e) => e.type === type || e.type === 'error');
      const settle = (e) => {
        window.clearTimeout(timer);
        const i = waiters.indexOf(listener);
        if (i >= 0) waiters.splice(i, 1);
        if (e.type === 'error') reject(new Error(`${e.error.phase}: ${e.error.message}`));
        else resolve(e);
      };
      const listener = (e) => { if (e.runId === runId && (e.type === type || e.type === 'error')) settle(e); };
      const timer = window.setTimeout(() => {
        const i = waiters.indexOf(listener);
        if (i >= 0) waiters.splice(i, 1);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${type} of ${runId}`));
      }, timeoutMs);
      if (past) settle(past);
      else waiters.push(listener);
    });
  }

  /** Long tasks and the peak JS heap between start() and stop(). */
  function monitor() {
    const t0 = window.performance.now();
    const heap = () => (window.performance.memory ? window.performance.memory.usedJSHeapSize : 0);
    let peak = heap();
    const sampler = window.setInterval(() => { peak = Math.max(peak, heap()); }, 100);
    return {
      async stop() {
        window.clearInterval(sampler);
        peak = Math.max(peak, heap());
        await new Promise((r) => window.setTimeout(r, 200)); // long-task entries arrive asynchronously
        const mine = longTasks.filter((t) => t.start >= t0);
        return {
          longTasks: mine.length,
          longestLongTaskMs: mine.reduce((m, t) => Math.max(m, t.duration), 0),
          peakJsHeapMiB: peak / 2 ** 20,
        };
      },
    };
  }

  /** A synthetic 16-bit image of bright discs on noise, labelled everywhere (or not at all). */
  function makeSlice(id, size, seed, labelled) {
    let s = seed >>> 0;
    const random = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
    const discs = Array.from({ length: Math.max(5, Math.round((size / 64) ** 2)) }, () => ({ x: random() * size, y: random() * size, r: 4 + random() * 8 }));
    const pixels = new Uint16Array(size * size);
    const classes = labelled ? new Int32Array(size * size) : null;
    for (const d of discs) {
      for (let y = Math.max(0, Math.floor(d.y - d.r)); y <= Math.min(size - 1, Math.ceil(d.y + d.r)); y++) {
        for (let x = Math.max(0, Math.floor(d.x - d.r)); x <= Math.min(size - 1, Math.ceil(d.x + d.r)); x++) {
          if ((x - d.x) ** 2 + (y - d.y) ** 2 <= d.r ** 2) {
            pixels[y * size + x] = 2000;
            if (classes) classes[y * size + x] = 1;
          }
        }
      }
    }
    for (let i = 0; i < pixels.length; i++) pixels[i] += 1000 + Math.floor(random() * 400);
    return { id, width: size, height: size, channels: 1, dtype: 'uint16', pixels, classes, instances: null };
  }

  window.__bench = {
    /** The engine's backend report once it is ready; throws with the engine's error when it failed. */
    async ready(timeoutMs) {
      const start = window.performance.now();
      for (;;) {
        const studio = window.__studio;
        const state = studio && studio.getState();
        if (state && state.engineStatus === 'ready' && state.backend) {
          getEngine();
          return state.backend;
        }
        if (state && (state.engineStatus === 'failed' || state.errors.length > 0)) {
          throw new Error(state.errors.map((e) => e.message).join('; ') || 'the engine failed to start');
        }
        if (window.performance.now() - start > timeoutMs) throw new Error(`the engine was not ready after ${timeoutMs} ms`);
        await new Promise((r) => window.setTimeout(r, 100));
      }
    },

    /** The page's WebGL renderer (what the worker's WebGL context runs on too). */
    webglRenderer() {
      const gl = document.createElement('canvas').getContext('webgl2') || document.createElement('canvas').getContext('webgl');
      if (!gl) return null;
      const info = gl.getExtension('WEBGL_debug_renderer_info');
      return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    },

    crossOriginIsolated() {
      return window.crossOriginIsolated === true;
    },

    async putSlice(id, size, seed, labelled, timeoutMs) {
      const runId = getEngine().send({ type: 'dataset/put', slice: makeSlice(id, size, seed, labelled) });
      await waitFor(runId, 'dataset/updated', timeoutMs);
    },

    /** train/start; per-step times are the gaps between train/progress arrivals (step 1 includes set-up and shader compilation). */
    async train(settings, timeoutMs) {
      const m = monitor();
      const sent = window.performance.now();
      const runId = getEngine().send({ type: 'train/start', settings, freshWeights: true });
      const done = await waitFor(runId, 'train/done', timeoutMs);
      const progressEvents = eventsByRun.get(runId).filter((e) => e.type === 'train/progress');
      const progress = progressEvents.map((e) => e.at);
      const stepMs = progress.map((at, i) => at - (i === 0 ? sent : progress[i - 1]));
      const last = progressEvents[progressEvents.length - 1];
      return { totalMs: done.at - sent, stepMs, steps: progress.length, engineMemory: last ? last.memory : null, ...(await m.stop()) };
    },

    /** dataset/put of a slice sent from Node: its typed arrays as base64 (call() passes JSON). */
    async putSliceData(slice, timeoutMs) {
      const decode = (base64, Type) => {
        if (base64 === null) return null;
        const bytes = Uint8Array.from(window.atob(base64), (c) => c.charCodeAt(0));
        return new Type(bytes.buffer);
      };
      const Pixels = { uint8: Uint8Array, uint16: Uint16Array, float32: Float32Array }[slice.dtype];
      if (!Pixels) throw new Error(`putSliceData: no ${slice.dtype} slices`);
      const runId = getEngine().send({
        type: 'dataset/put',
        slice: {
          id: slice.id, width: slice.width, height: slice.height, channels: slice.channels, dtype: slice.dtype,
          pixels: decode(slice.pixels, Pixels), classes: decode(slice.classes, Int32Array), instances: decode(slice.instances, Int32Array),
        },
      });
      await waitFor(runId, 'dataset/updated', timeoutMs);
    },

    /**
     * Time to quality in the page (bench/quality): train/start on fresh weights, and at every `every`-th
     * step a pause, a model/export of the paused weights and a resume. Each pause is asked for at its step
     * (train/pause afterStep), so the checkpoints fall exactly on every `every`-th step.
     * Training time is the sum of the gaps between the arrivals of train/started (set-up excluded, and
     * said apart), each train/progress and train/resumed: the paused time (the engine's own pause
     * checkpoint and the export) is not counted. Returns the checkpoints' model files, weights as base64.
     */
    async trainWithCheckpoints(settings, every, classNames, timeoutMs) {
      const engine = getEngine();
      const deadline = window.performance.now() + timeoutMs;
      const left = () => Math.max(1, deadline - window.performance.now());
      const exportNow = async () => {
        let files = null;
        const unsubscribe = engine.subscribe((event) => { if (event.type === 'model/exported') files = event.files; });
        try {
          const exportId = engine.send({ type: 'model/export', classNames });
          await waitFor(exportId, 'model/exported', left());
        } finally {
          unsubscribe();
        }
        let binary = '';
        const bytes = new Uint8Array(files.weights);
        for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
        return { modelJson: files.modelJson, weights: window.btoa(binary) };
      };
      const sent = window.performance.now();
      const runId = engine.send({ type: 'train/start', settings, freshWeights: true });
      const started = await waitFor(runId, 'train/started', left());
      const checkpoints = [];
      let trainMs = 0;
      let since = started.at;
      // The engine pauses once exactly `every` more steps are done (a step's time is well over the message's trip).
      const pauseAfter = (step) => { if (step < settings.steps) engine.send({ type: 'train/pause', runId, afterStep: step }); };
      pauseAfter(every);
      let seen = 0; // the run's events handled so far
      for (;;) {
        const events = eventsByRun.get(runId);
        if (seen >= events.length) {
          await new Promise((resolve, reject) => {
            const listener = (e) => { if (e.runId === runId) { window.clearTimeout(timer); waiters.splice(waiters.indexOf(listener), 1); resolve(); } };
            const timer = window.setTimeout(() => { waiters.splice(waiters.indexOf(listener), 1); reject(new Error(`trainWithCheckpoints: nothing from the engine for ${timeoutMs} ms`)); }, left());
            waiters.push(listener);
          });
          continue;
        }
        const e = events[seen++];
        if (e.type === 'error') throw new Error(`${e.error.phase}: ${e.error.message}`);
        if (e.type === 'train/progress') {
          trainMs += e.at - since;
          since = e.at;
        } else if (e.type === 'train/paused') {
          checkpoints.push({ step: e.step, trainSeconds: trainMs / 1000, ...(await exportNow()) });
          engine.send({ type: 'train/resume', runId });
          pauseAfter(e.step + every);
        } else if (e.type === 'train/resumed') {
          since = e.at;
        } else if (e.type === 'train/done') {
          if (checkpoints.length === 0 || checkpoints[checkpoints.length - 1].step !== e.steps) {
            checkpoints.push({ step: e.steps, trainSeconds: trainMs / 1000, ...(await exportNow()) });
          }
          eventsByRun.delete(runId);
          return { setupSeconds: (started.at - sent) / 1000, checkpoints };
        }
      }
    },

    /** predict/start of one slice, timed from the request to predict/done. */
    async predict(sliceId, timeoutMs) {
      const m = monitor();
      const sent = window.performance.now();
      const runId = getEngine().send({ type: 'predict/start', sliceIds: [sliceId], testTimeAugmentation: false });
      const done = await waitFor(runId, 'predict/done', timeoutMs);
      const events = eventsByRun.get(runId);
      const sliceDone = events.find((e) => e.type === 'predict/slice-done');
      eventsByRun.delete(runId);
      return {
        ms: done.at - sent, tiles: events.filter((e) => e.type === 'predict/tile').length, tilePx: sliceDone ? sliceDone.tilePx : 0,
        engineMemory: sliceDone ? sliceDone.memory : null, ...(await m.stop()),
      };
    },
  };
})();
