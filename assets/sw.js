// The site's service worker: after the first visit everything works offline.
//
// * One cache per version ("site-<version>"). The build writes the version and every file's
//   SHA-256 below. A file goes into a version's cache only if its bytes match that version's
//   digest, so a cache never holds files of two versions, even while a host is mid-upload.
// * Install precaches the files every browser needs, plus those this browser needed from an older
//   version (its renderer's files, which differ between browsers). If anything fails, the install
//   fails and the old version stays whole.
// * The page tells the worker which files it loaded before the worker was in control, so the
//   files of this browser's renderer are kept too.
// * A new version waits until no page uses the old one (or a page that has just started asks for
//   it). A page already open keeps the version it started with, file by file, and an old
//   version's cache is deleted whole once no open page uses it: two versions never mix in a page.
// * Answers only this site's own files, from the current version's cache; navigations get
//   index.html. A file not kept yet is fetched and answered only if its bytes match this
//   version's digest. Nothing else is ever fetched.
const SITE = /*SITE*/ { version: "dev", core: [], files: {} } /*END*/;
const PREFIX = "site-";
const CACHE = PREFIX + SITE.version;
const SCOPE = new URL("./", self.location).href;

function pathOf(url) {
  const href = new URL(url, SCOPE).href.split("#")[0].split("?")[0];
  return href.startsWith(SCOPE) ? href.slice(SCOPE.length) : null;
}

async function digest(buffer) {
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("");
}

// Fetch `path` and put it in this version's cache if its bytes are this version's.
async function keep(cache, path, mode) {
  const response = await fetch(new Request(SCOPE + path, { cache: mode }));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  const body = await response.clone().arrayBuffer();
  if ((await digest(body)) !== SITE.files[path]) throw new Error(`${path}: not this version`);
  await cache.put(SCOPE + path, response);
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const wanted = new Set(SITE.core);
      for (const name of await caches.keys()) {
        if (!name.startsWith(PREFIX) || name === CACHE) continue;
        for (const request of await (await caches.open(name)).keys()) {
          const path = pathOf(request.url);
          if (path !== null && path in SITE.files) wanted.add(path);
        }
      }
      const cache = await caches.open(CACHE);
      const missing = [];
      for (const path of wanted) {
        if (!(await cache.match(SCOPE + path))) missing.push(path);
      }
      // A few at a time: a phone on a slow line should not open dozens of requests at once.
      for (let i = 0; i < missing.length; i += 6) {
        await Promise.all(missing.slice(i, i + 6).map((p) => keep(cache, p, "reload")));
      }
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      // Pages open now keep the version they started with (see answer): its cache stays
      // until they are gone. A page open before any worker was in charge (the first visit)
      // loaded this version's files.
      const map = await pages();
      for (const c of await self.clients.matchAll({ includeUncontrolled: true })) {
        if (!(c.id in map)) map[c.id] = SITE.version;
      }
      await savePages(map);
      await dropUnusedVersions();
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.kind === "activate") {
    self.skipWaiting();
  } else if (data.kind === "keep") {
    // Files the page loaded before this worker controlled it.
    event.waitUntil(
      (async () => {
        const cache = await caches.open(CACHE);
        let kept = 0;
        for (const url of data.urls || []) {
          const path = pathOf(url);
          if (path === null || !(path in SITE.files)) continue;
          if (!(await cache.match(SCOPE + path))) await keep(cache, path, "force-cache");
          kept += 1;
        }
        if (event.source) event.source.postMessage({ kind: "kept", count: kept, version: SITE.version });
      })().catch((error) => {
        if (event.source) event.source.postMessage({ kind: "keep-failed", error: String(error) });
      }),
    );
  }
});

// A page keeps the version it started with: the files it asks for later (a font, a renderer's
// piece) come from that version's cache, never from a newer one that arrived meanwhile. Which
// version each open page started with is kept in a small cache of its own (a worker's memory
// does not last), and a version's cache is deleted only when no open page uses it.
const PAGES = "pages";
const PAGES_KEY = SCOPE + "__pages__";

let known = null; // the same, while this worker runs

async function pages() {
  if (known === null) {
    const hit = await (await caches.open(PAGES)).match(PAGES_KEY);
    known = hit ? await hit.json() : {};
  }
  return known;
}

async function savePages(map, starting = null) {
  // (A page that is only now starting is not among the clients yet.)
  const live = new Set((await self.clients.matchAll({ includeUncontrolled: true })).map((c) => c.id));
  for (const id of Object.keys(map)) if (!live.has(id) && id !== starting) delete map[id];
  known = map;
  await (await caches.open(PAGES)).put(PAGES_KEY, new Response(JSON.stringify(map)));
  return map;
}

async function dropUnusedVersions() {
  const used = new Set(Object.values(await savePages(await pages())));
  used.add(SITE.version);
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX) && !used.has(name.slice(PREFIX.length))) await caches.delete(name);
  }
}

const refused = (why) => new Response(why, { status: 503, headers: { "Content-Type": "text/plain" } });

async function answer(path, request, clientId, navigation) {
  if (navigation) {
    // A new page starts with this version.
    const map = await pages();
    if (clientId) map[clientId] = SITE.version;
    await savePages(map, clientId);
  } else if (clientId) {
    const started = (await pages())[clientId];
    if (started && started !== SITE.version) {
      // An older page: only its own version's files, and only as that version kept them.
      const old = await caches.open(PREFIX + started);
      return (await old.match(SCOPE + path)) || refused(`${path}: not kept for this page's version`);
    }
  }
  const cache = await caches.open(CACHE);
  const hit = await cache.match(SCOPE + path);
  if (hit) return hit;
  // Not kept yet: fetched, and answered only if its bytes are this version's.
  const response = await fetch(new Request(SCOPE + path, { cache: "reload" }));
  if (!response.ok) return response;
  const body = await response.arrayBuffer();
  if ((await digest(body)) !== SITE.files[path]) return refused(`${path}: not this version`);
  const kept = new Response(body, { status: response.status, headers: response.headers });
  await cache.put(SCOPE + path, kept.clone());
  return kept;
}

// Flutter fetches its emoji font in pieces from assets/fonts/notocoloremoji/... (one for each
// range of emoji it meets): every piece is answered with the whole font, kept once.
const EMOJI = "fonts/emoji.woff2";
const EMOJI_PIECES = "assets/fonts/notocoloremoji/";

// ---- Shared into the app (Web Share Target, Android) -----------------------------------------
// The system share sheet POSTs here (manifest "share_target"). What arrives is sealed at once to
// the public key the unlocked app left beside the vault, and only the sealed bytes are stored:
// nothing shared rests in plaintext, even while the vault is locked. Format: docs/inbox-format.md.
const SHARE_PATH = "share-target";
const INBOX_DB = "nb-in";
const MAGIC = [0x52, 0x43, 0x53, 0x31]; // "RCS1"
const INFO = new TextEncoder().encode("recourse inbox v1");
const MAX_FILE = 15 * 1024 * 1024; // what the evidence log keeps of one file

function inbox() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(INBOX_DB, 1);
    open.onupgradeneeded = () => {
      open.result.createObjectStore("key");
      open.result.createObjectStore("items", { autoIncrement: true });
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

// X25519 + HKDF-SHA256 + AES-256-GCM to the recipient's public key.
async function seal(recipient, plaintext) {
  const subtle = crypto.subtle;
  const eph = await subtle.generateKey({ name: "X25519" }, true, ["deriveBits"]);
  const ephPub = new Uint8Array(await subtle.exportKey("raw", eph.publicKey));
  const them = await subtle.importKey("raw", recipient, { name: "X25519" }, false, []);
  const shared = await subtle.deriveBits({ name: "X25519", public: them }, eph.privateKey, 256);
  const base = await subtle.importKey("raw", shared, "HKDF", false, ["deriveKey"]);
  const key = await subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(32), info: concat([INFO, ephPub, recipient]) },
    base, { name: "AES-GCM", length: 256 }, false, ["encrypt"]);
  const nonce = crypto.getRandomValues(new Uint8Array(12));
  const head = concat([new Uint8Array(MAGIC), ephPub, nonce]);
  const ad = concat([new Uint8Array(MAGIC), ephPub, recipient]);
  const body = new Uint8Array(await subtle.encrypt({ name: "AES-GCM", iv: nonce, additionalData: ad }, key, plaintext));
  return concat([head, body]);
}

async function receiveShare(request) {
  const form = await request.formData();
  const db = await inbox();
  const recipient = await new Promise((resolve, reject) => {
    const get = db.transaction("key").objectStore("key").get("public");
    get.onsuccess = () => resolve(get.result);
    get.onerror = () => reject(get.error);
  });
  if (!recipient) return Response.redirect(SCOPE + "?shared=no-vault", 303);
  const meta = { v: 1, received: new Date().toISOString(), files: [], skipped: [] };
  for (const field of ["title", "text", "url"]) {
    const value = form.get(field);
    if (typeof value === "string" && value) meta[field] = value.slice(0, 20000);
  }
  const parts = [];
  for (const file of form.getAll("files")) {
    if (typeof file === "string") continue;
    if (file.size > MAX_FILE) { meta.skipped.push({ name: file.name, size: file.size }); continue; }
    const bytes = new Uint8Array(await file.arrayBuffer());
    meta.files.push({ name: file.name, type: file.type, size: bytes.length });
    parts.push(bytes);
  }
  const head = new TextEncoder().encode(JSON.stringify(meta));
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, head.length);
  const sealed = await seal(new Uint8Array(recipient), concat([length, head, ...parts]));
  parts.length = 0;
  const tx = db.transaction("items", "readwrite");
  tx.objectStore("items").add(sealed.buffer);
  await done(tx);
  db.close();
  return Response.redirect(SCOPE + "?shared=1", 303);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method === "POST" && pathOf(request.url) === SHARE_PATH) {
    event.respondWith(
      receiveShare(request).catch(() => Response.redirect(SCOPE + "?shared=failed", 303)),
    );
    return;
  }
  if (request.method !== "GET") return;
  const path = pathOf(request.url);
  if (path === null) return; // not this site: the page's policy refuses it anyway
  if (path.startsWith(EMOJI_PIECES) && EMOJI in SITE.files) {
    event.respondWith(answer(EMOJI, request, event.clientId, false));
  } else if (request.mode === "navigate" && !(path in SITE.files && path !== "")) {
    event.respondWith(answer("index.html", request, event.resultingClientId, true));
  } else if (path in SITE.files) {
    event.respondWith(answer(path, request, event.clientId, request.mode === "navigate"));
  }
});
