// Recourse's Python worker (replaces flet-web's python-worker.js; same protocol to Flutter).
//
// Boots Pyodide from this site, unpacks the app archive (every package pure Python and
// precompiled, nothing fetched from anywhere else: no micropip), runs `main`, and connects it
// to Flutter. Registers `recourse_js` for Python: Argon2id in a worker of its own, which the page
// runs (so deriving a key never blocks Python), and the side channel to the page.
import { loadPyodide } from "./pyodide/pyodide.mjs";

const fletJs = {};
let pageListener = null;
const pageQueue = [];

// ---- Argon2id (hash-wasm, WebAssembly) in a worker of its own, started by the page ---------
// Not a worker inside this one: in Firefox, starting a nested worker could leave this worker
// deaf for good (measured: 4 loads in 12 on a busy machine never reached the first screen).
let kdfSeq = 0;
const kdfCalls = new Map();

function argon2id(password, salt, memoryKib, iterations, lanes, length) {
  const id = ++kdfSeq;
  // This side's copy of the passphrase's bytes goes with the message (moved, not copied); a view
  // into a larger buffer is copied out first and wiped here.
  const own = password.byteOffset === 0 && password.buffer.byteLength === password.byteLength
    ? password : password.slice();
  if (own !== password) password.fill(0);
  return new Promise((resolve, reject) => {
    kdfCalls.set(id, { resolve, reject });
    self.postMessage(
      { kdf: { id, password: own, salt, memoryKib, iterations, lanes, length } },
      [own.buffer],
    );
  });
}

function kdfDone(answer) {
  const call = kdfCalls.get(answer.id);
  if (!call) return;
  kdfCalls.delete(answer.id);
  if (answer.error) call.reject(new Error(answer.error));
  else call.resolve(answer.key);
}

const recourseJs = {
  argon2id,
  // AES-GCM opening of many records in one call from Python (crypto_browser.py): `sent` holds
  // each record's nonce, associated data and ciphertext end to end, `ends` where each part ends.
  // Back: the plaintexts end to end, and each one's length (-1: it did not authenticate).
  async decryptMany(key, sent, ends) {
    const n = ends.length / 3;
    const opened = await Promise.all(
      Array.from({ length: n }, (_, i) => {
        const [start, iv, ad, end] = [i ? ends[3 * i - 1] : 0, ends[3 * i], ends[3 * i + 1], ends[3 * i + 2]];
        const alg = { name: "AES-GCM", iv: sent.subarray(start, iv), additionalData: sent.subarray(iv, ad) };
        return crypto.subtle.decrypt(alg, key, sent.subarray(ad, end)).then(
          (plain) => new Uint8Array(plain),
          () => null,
        );
      }),
    );
    const sizes = new Int32Array(n);
    let total = 0;
    opened.forEach((p, i) => {
      sizes[i] = p ? p.length : -1;
      total += p ? p.length : 0;
    });
    const data = new Uint8Array(total);
    let at = 0;
    for (const p of opened) {
      if (p) {
        data.set(p, at);
        at += p.length;
      }
    }
    return [data, sizes];
  },
  post(kind, value) {
    self.postMessage({ recourse: { kind, value: value === undefined ? null : value } });
  },
  // A file asked of the page ("pick", "save", "share"; python.js), its bytes moved, not copied.
  // The page answers with kind "file-done" and the same id.
  ask(what, id, value, bytes) {
    const v = Object.assign({}, value, { id, bytes: bytes || null });
    self.postMessage({ recourse: { kind: "file-" + what, value: v } }, bytes ? [bytes.buffer] : []);
  },
  listen(fn) {
    pageListener = fn;
    for (const m of pageQueue.splice(0)) fn(m.kind, m.value);
  },
};

// ---- start ------------------------------------------------------------------------------------
function toDart(message) {
  // `message` wraps a Python `bytes`; toJs() gives a fresh Uint8Array whose buffer we hand over.
  const bytes = message.toJs();
  self.postMessage(bytes, [bytes.buffer]);
}

// Python's interpreter, already started, saved by the build (gzip). Restoring it takes a tenth
// of a second; starting Python afresh takes two. Without one, Python starts as usual.
async function snapshotBytes(url) {
  try {
    const response = await fetch(url);
    if (!response.ok || typeof DecompressionStream !== "function") return null;
    const stream = response.body.pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    console.warn("No Python snapshot:", error);
    return null;
  }
}

async function fetched(url, gzipped = false) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} could not be loaded (HTTP ${response.status}).`);
  const body = gzipped ? response.body.pipeThrough(new DecompressionStream("gzip")) : response.body;
  return new Response(body).arrayBuffer();
}

// The app's bundle (see pwa_app/site/build.py): header length, JSON [[path, size], ...], the files.
function writeBundle(FS, root, buffer) {
  const bytes = new Uint8Array(buffer);
  const n = new DataView(buffer).getUint32(0);
  let at = 4 + n;
  for (const [name, size] of JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + n)))) {
    FS.mkdirTree(root + "/" + name.split("/").slice(0, -1).join("/"));
    FS.writeFile(root + "/" + name, bytes.subarray(at, at + size));
    at += size;
  }
}

// Where a start's time goes (the worker's clock, from its first line): kept by the page as
// window.recourseStartTimes, for the benchmark and for a developer looking at a slow browser.
const startTimes = {};
const mark = (name) => { startTimes[name] = Math.round(performance.now()); };

async function start(init) {
  mark("worker started");
  // The app's own files download while Pyodide starts.
  const site = (name) => new URL(name, init.appPackageUrl).href;
  const archives = Promise.all([
    fetched(init.appPackageUrl, true),
    fetched(site("packages.zip")),
    fetched(site("fonts/DejaVuSans.ttf")), // for PDFs; the screen uses the same file
  ]);
  archives.catch(() => {}); // reported when awaited below
  const options = { stdout: (text) => console.log(text), stderr: (text) => console.error(text) };
  let pyodide;
  // Downloaded and unpacked while Pyodide's own files load.
  const snapshot = snapshotBytes(site("python-snapshot.bin"));
  try {
    pyodide = await loadPyodide({
      ...options,
      _loadSnapshot: snapshot.then((s) => s || Promise.reject(new Error("no snapshot"))),
    });
    mark("Pyodide running (restored from its snapshot)");
  } catch (error) {
    console.warn("Python did not start from its snapshot; starting it afresh:", error);
    pyodide = await loadPyodide(options);
    mark("Pyodide running (started afresh: no snapshot)");
  }
  // The snapshot (36 MB unpacked) is copied into Python's memory by now, yet Pyodide keeps the
  // options it was given for good (its API.config), and with them the promise of those bytes:
  // let it go, or the worker holds a second copy of Python's start for as long as it runs.
  if (pyodide._api && pyodide._api.config) delete pyodide._api.config._loadSnapshot;
  // Python stopped for good (a crash inside its WebAssembly: Pyodide's "fatal error"; any later
  // call only throws): tell the page, which says so and lets this worker go (python.js). Not
  // any uncaught error: most leave Python running, and a false alarm would hide a working app.
  if (pyodide._api) {
    pyodide._api.on_fatal = (error) => {
      const detail = String((error && error.message) || error);
      self.postMessage({ recourse: { kind: "stopped", value: detail } });
    };
  }
  fletJs.documentUrl = init.documentUrl;
  pyodide.registerJsModule("flet_js", fletJs);
  pyodide.registerJsModule("recourse_js", recourseJs);
  const [bundle, packages, font] = await archives;
  writeBundle(pyodide.FS, "/app", bundle);
  pyodide.FS.writeFile("/app/packages.zip", new Uint8Array(packages));
  pyodide.FS.mkdirTree("/app/assets/fonts");
  pyodide.FS.writeFile("/app/assets/fonts/DejaVuSans.ttf", new Uint8Array(font));
  mark("app files in place");
  await pyodide.runPythonAsync(`
import os, runpy, sys
os.chdir("/app")
sys.path[:0] = ["/app", "/app/packages.zip"]
runpy.run_module("main", run_name="__main__")
`);
  if (typeof fletJs.start_connection !== "function") {
    throw new Error("The app finished without starting its screen.");
  }
  mark("app module ran");
  await fletJs.start_connection(toDart);
  mark("connected to Flutter");
  self.postMessage({ recourse: { kind: "start-times", value: startTimes } });
}

let started = false;
self.onmessage = async (event) => {
  const data = event.data;
  if (!started) {
    started = true;
    try {
      await start(data);
      self.postMessage("initialized");
    } catch (error) {
      self.postMessage(String((error && error.message) || error));
    }
  } else if (data && data.beat) {
    self.postMessage({ beat: data.beat }); // (the page's watch: Python's thread is free)
  } else if (data && data.kdf) {
    kdfDone(data.kdf);
  } else if (data && data.recourse) {
    if (pageListener) pageListener(data.recourse.kind, data.recourse.value);
    else pageQueue.push(data.recourse);
  } else if (typeof fletJs.send === "function") {
    fletJs.send(data);
  }
};
