// Recourse's Python worker (replaces flet-web's python-worker.js; same protocol to Flutter).
//
// Boots Pyodide from this site, unpacks the app archive (every package pure Python and
// precompiled, nothing fetched from anywhere else: no micropip), runs `main`, and connects it
// to Flutter. Registers `recourse_js` for Python: Argon2id in a worker of its own (so deriving a
// key never blocks Python), and the side channel to the page.
import { loadPyodide } from "./pyodide/pyodide.mjs";

const fletJs = {};
let pageListener = null;
const pageQueue = [];

// ---- Argon2id (hash-wasm, WebAssembly) in its own worker --------------------------------------
let kdfWorker = null;
let kdfSeq = 0;
const kdfCalls = new Map();

function kdfFailAll(message) {
  for (const call of kdfCalls.values()) call.reject(new Error(message));
  kdfCalls.clear();
  kdfWorker = null;
}

function argon2id(password, salt, memoryKib, iterations, lanes, length) {
  if (!kdfWorker) {
    kdfWorker = new Worker(new URL("kdf-worker.js", import.meta.url));
    kdfWorker.onmessage = (event) => {
      const call = kdfCalls.get(event.data.id);
      if (!call) return;
      kdfCalls.delete(event.data.id);
      if (event.data.error) call.reject(new Error(event.data.error));
      else call.resolve(event.data.key);
    };
    kdfWorker.onerror = (event) => kdfFailAll((event && event.message) || "Argon2id failed");
  }
  const id = ++kdfSeq;
  return new Promise((resolve, reject) => {
    kdfCalls.set(id, { resolve, reject });
    kdfWorker.postMessage({ id, password, salt, memoryKib, iterations, lanes, length });
  });
}

const recourseJs = {
  argon2id,
  post(kind, value) {
    self.postMessage({ recourse: { kind, value: value === undefined ? null : value } });
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

async function start(init) {
  const pyodide = await loadPyodide({
    stdout: (text) => console.log(text),
    stderr: (text) => console.error(text),
  });
  fletJs.documentUrl = init.documentUrl;
  pyodide.registerJsModule("flet_js", fletJs);
  pyodide.registerJsModule("recourse_js", recourseJs);
  const response = await fetch(init.appPackageUrl);
  if (!response.ok) throw new Error(`The app archive could not be loaded (HTTP ${response.status}).`);
  pyodide.unpackArchive(await response.arrayBuffer(), "gztar", { extractDir: "/app" });
  await pyodide.runPythonAsync(`
import os, runpy, sys
os.chdir("/app")
sys.path[:0] = ["/app", "/app/__pypackages__"]
runpy.run_module("main", run_name="__main__")
`);
  if (typeof fletJs.start_connection !== "function") {
    throw new Error("The app finished without starting its screen.");
  }
  await fletJs.start_connection(toDart);
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
  } else if (data && data.recourse) {
    if (pageListener) pageListener(data.recourse.kind, data.recourse.value);
    else pageQueue.push(data.recourse);
  } else if (typeof fletJs.send === "function") {
    fletJs.send(data);
  }
};
