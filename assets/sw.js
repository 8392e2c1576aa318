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
//   it); then the old cache is deleted whole.
// * Answers only this site's own files, from the current version's cache; navigations get
//   index.html. Nothing else is ever fetched.
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
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
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

async function answer(path, request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(SCOPE + path);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && path in SITE.files) {
    keep(cache, path, "force-cache").catch(() => {});
  }
  return response;
}

// Flutter fetches its emoji font in pieces from assets/fonts/notocoloremoji/... (one for each
// range of emoji it meets): every piece is answered with the whole font, kept once.
const EMOJI = "fonts/emoji.woff2";
const EMOJI_PIECES = "assets/fonts/notocoloremoji/";

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const path = pathOf(request.url);
  if (path === null) return; // not this site: the page's policy refuses it anyway
  if (path.startsWith(EMOJI_PIECES) && EMOJI in SITE.files) {
    event.respondWith(answer(EMOJI, new Request(SCOPE + EMOJI)));
  } else if (request.mode === "navigate" && !(path in SITE.files && path !== "")) {
    event.respondWith(answer("index.html", request));
  } else if (path in SITE.files) {
    event.respondWith(answer(path, request));
  }
});
