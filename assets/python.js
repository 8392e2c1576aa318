// Recourse's page-side loader for Python in the browser (replaces flet-web's python.js).
//
// * Starts the Python worker as soon as the page knows which version it runs (at once, unless a
//   newer version is switching in: index.html), in parallel with Flutter, instead of waiting
//   for Flutter to ask for it: Pyodide's start-up is the longest part of a load.
// * Speaks flet-web's protocol to Flutter: jsConnect / jsSend / jsDisconnect, raw bytes both ways.
// * Carries one side channel between the page and Python, `{recourse: {kind, value}}`, for what
//   must not wait for a round trip through Flutter (quick exit), what only the page can do, and
//   files in and out.
// * Gives a clear message on the screen if Python cannot start, instead of a blank page.
(function () {
  "use strict";
  if (!flet.pyodide) return; // the developer's server mode runs Python on the server
  var START_TIMEOUT_MS = 90000;
  var dartOnMessage = null;
  var state = "starting"; // starting | ready | failed
  var failure = null;
  var waiters = [];
  var listeners = [];
  var worker = null; // started once the page knows which version it runs (index.html)
  var queued = []; // what the page said before that
  var stopped = false; // Python stopped for good after its start: nothing more is sent
  function post(message, transfer) {
    if (stopped) return;
    if (worker) worker.postMessage(message, transfer || []);
    else queued.push([message, transfer || []]);
  }

  function settle(error) {
    if (state !== "starting") return;
    state = error ? "failed" : "ready";
    failure = error || null;
    if (error) showFailure(error);
    else setInterval(watch, BEAT_MS);
    waiters.splice(0).forEach(function (w) { w(); });
  }

  // Python held up (a long task, or a hang) is said, not left as a screen that answers nothing.
  // While the page is in view it asks Python's worker every few seconds; the worker answers
  // between Python's steps, so no answer means Python's thread is held. After half a minute
  // without one the page says so (index.html: recourseQuiet), and takes it back at the answer.
  // Time out of view does not count: a hidden page's worker may be slowed.
  var BEAT_MS = 5000, QUIET_MS = 30000;
  var beat = 0, askedAt = 0, quiet = false; // the beat asked; since when, if not answered
  function setQuiet(on) {
    if (quiet === on) return;
    quiet = on;
    if (window.recourseQuiet) window.recourseQuiet(on);
  }
  function watch() {
    if (stopped || !worker || document.visibilityState !== "visible") return;
    if (!askedAt) {
      askedAt = Date.now();
      worker.postMessage({ beat: ++beat });
    } else if (Date.now() - askedAt >= QUIET_MS) {
      setQuiet(true);
    }
  }
  function answered(n) {
    if (n !== beat) return;
    askedAt = 0;
    setQuiet(false);
  }
  document.addEventListener("visibilitychange", function () {
    if (askedAt) askedAt = Date.now();
  });

  function showFailure(error) {
    console.error("Python could not start:", error);
    if (window.recourseSay) {
      // (keys of the page's own words, in the language the app speaks: index.html)
      window.recourseSay("failed", "failed_what", String(error));
    }
  }

  // Argon2id for Python's worker, in a worker of the page's own (kdf-worker.js; not one inside
  // Python's: in Firefox that could leave Python's worker deaf for good). Terminated once no key
  // is being made, and with it every copy of the passphrase and its memory.
  // Started, and its WebAssembly readied, as soon as the lock screen is up, while the person
  // types: starting it after the tap took a phone's unlock 0.4-0.5 s (measured, CPU x4). Until
  // asked it holds nothing; an idle one is let go when the vault opens or hides.
  var kdfWorker = null;
  var kdfAsked = {}; // id -> true, until answered
  function kdfIdle() { return Object.keys(kdfAsked).length === 0; }
  function kdfStop() {
    if (kdfWorker) kdfWorker.terminate();
    kdfWorker = null; // (the next key is asked of a new one)
  }
  function kdfAnswer(answer, transfer) {
    if (!kdfAsked[answer.id]) return;
    delete kdfAsked[answer.id];
    post({ kdf: answer }, transfer);
    if (kdfIdle()) kdfStop();
  }
  listeners.push(function (kind, value) {
    if (kind === "drawn" && (value === "create" || value === "unlock")) kdfReady();
    if (kind === "phase" && (value === "open" || value === "decoy") && kdfIdle()) kdfStop();
  });
  function kdfReady() {
    if (!kdfWorker) {
      kdfWorker = new Worker(new URL("kdf-worker.js", document.baseURI));
      kdfWorker.onmessage = function (event) {
        var got = event.data;
        kdfAnswer(got, got.key ? [got.key.buffer] : []);
      };
      kdfWorker.onerror = function (event) {
        var message = (event && event.message) || "Argon2id failed";
        kdfStop();
        Object.keys(kdfAsked).forEach(function (id) {
          kdfAnswer({ id: Number(id), error: message });
        });
      };
      kdfWorker.postMessage({ warm: true });
    }
  }
  function deriveKey(ask) {
    kdfReady();
    kdfAsked[ask.id] = true;
    kdfWorker.postMessage(ask, [ask.password.buffer]);
  }

  // Files in and out (Python asks: "file-pick", "file-save", "file-share"; the page answers
  // "file-done" with the same id). Straight between the device and Python, never through
  // Flutter: there a file's bytes cost 40 to over 100 times their size in memory (a 10 MB
  // backup took the page to 1.8 GB), more than a phone's browser survives.
  function fileDone(id, status, name, bytes) {
    post({ recourse: { kind: "file-done", value: {
      id: id, status: status, name: name || null, bytes: bytes || null } } },
    bytes ? [bytes] : []);
  }
  function failed(e) { return "error: " + ((e && e.name) || e); }
  function pickFile(ask) {
    var input = document.createElement("input");
    input.type = "file";
    if (ask.accept) input.accept = ask.accept;
    input.style.display = "none"; // in the page, or Safari may forget it before it answers
    document.body.appendChild(input);
    var answered = false;
    function finish(file) {
      if (answered) return;
      answered = true;
      input.remove();
      if (!file) return fileDone(ask.id, "cancelled");
      // A file larger than asked is read only to one byte over: the size check still fails.
      var part = ask.max > 0 && file.size > ask.max ? file.slice(0, ask.max + 1) : file;
      part.arrayBuffer().then(function (buffer) {
        fileDone(ask.id, "picked", file.name, buffer);
      }, function (e) { fileDone(ask.id, failed(e)); });
    }
    input.addEventListener("change", function () { finish(input.files && input.files[0]); });
    // Closed with nothing chosen (Chrome 113, Firefox 91, Safari 16.4 and later). Not guessed
    // from the page's focus coming back: a phone may hand over a photo seconds after that.
    input.addEventListener("cancel", function () { finish(null); });
    input.click();
  }
  function download(name, blob) {
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.style.display = "none";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }
  function saveFile(ask) {
    try {
      download(ask.name, new Blob([ask.bytes], { type: ask.mime }));
      fileDone(ask.id, "saved");
    } catch (e) { fileDone(ask.id, failed(e)); }
  }
  function shareFile(ask) {
    var file = new File([ask.bytes], ask.name, { type: ask.mime });
    if (!(navigator.canShare && navigator.canShare({ files: [file] }))) {
      download(ask.name, file);
      return fileDone(ask.id, "downloaded");
    }
    navigator.share({ files: [file] }).then(function () { fileDone(ask.id, "success"); },
      function (e) { fileDone(ask.id, e && e.name === "AbortError" ? "dismissed" : failed(e)); });
  }
  // Python stopped for good (python-worker.js: Pyodide's fatal error). Before the first screen
  // that is a failed start. After it, the worker is let go at once: with it the keys of the open
  // vault and every record it held; nothing more could be saved through it anyway, and every
  // save it had answered is already stored. The page then says so (index.html).
  function letGo() {
    stopped = true;
    setQuiet(false);
    if (worker) worker.terminate();
    kdfStop();
    kdfAsked = {};
    dartOnMessage = null;
  }
  listeners.push(function (kind, value) {
    if (kind !== "stopped") return;
    if (state === "starting") return settle(value || "Python stopped.");
    letGo(); // (the page's own message says so, over it: index.html)
    if (window.recourseStopped) window.recourseStopped(value);
  });
  // The page left for another in the same tab, and kept by the browser to come back to (its
  // back/forward cache: `persisted`): Python's worker is let go at once, as when the page is
  // closed, and with it the vault's keys and every record it held, instead of being kept,
  // suspended, in the browser's memory. Brought back, the page starts again (index.html). A
  // kept page also slowed the app's next start in that tab: in WebKit, loads from the cache
  // after one took 11.1 s (median of 6), 7.5 s with it let go (benchmarks/run.py).
  window.addEventListener("pagehide", function (event) {
    if (event.persisted) letGo();
  });
  listeners.push(function (kind, value) {
    if (kind === "file-pick") pickFile(value);
    else if (kind === "file-save") saveFile(value);
    else if (kind === "file-share") shareFile(value);
  });

  function start() {
    if (stopped) return; // (the page was left before Python was started)
    worker = new Worker(new URL("python-worker.js", document.baseURI), { type: "module" });
    worker.onmessage = function (event) {
      var data = event.data;
      if (data && data.kdf) {
        deriveKey(data.kdf);
      } else if (data && data.beat) {
        answered(data.beat);
      } else if (data && data.recourse && data.recourse.kind === "start-times") {
        window.recourseStartTimes = data.recourse.value;
      } else if (data && data.recourse) {
        listeners.forEach(function (fn) { fn(data.recourse.kind, data.recourse.value); });
      } else if (typeof data === "string") {
        settle(data === "initialized" ? null : data);
      } else if (dartOnMessage) {
        dartOnMessage(data);
      }
    };
    worker.onerror = function (event) {
      settle((event && event.message) || "The Python worker stopped.");
    };
    setTimeout(function () {
      settle("Starting took too long. Check that this browser allows WebAssembly.");
    }, START_TIMEOUT_MS);

    worker.postMessage({
      appPackageUrl: new URL(flet.appPackageUrl || "app.bundle", document.baseURI).href,
      documentUrl: document.URL,
    });
    queued.splice(0).forEach(function (m) { worker.postMessage(m[0], m[1]); });
  }
  (window.recourseStart || Promise.resolve()).then(start, start);

  globalThis.jsConnect = async function (appId, args, onMessage) {
    dartOnMessage = onMessage;
    if (state === "starting") {
      await new Promise(function (resolve) { waiters.push(resolve); });
    }
    if (state === "failed") throw failure;
  };
  globalThis.jsSend = async function (appId, data) {
    post(data, [data.buffer]);
  };
  globalThis.jsDisconnect = async function (appId) {
    dartOnMessage = null;
  };

  // The side channel, for the page's own scripts.
  window.recourse = {
    send: function (kind, value) {
      post({ recourse: { kind: kind, value: value === undefined ? null : value } });
    },
    listen: function (fn) { listeners.push(fn); },
  };
})();
