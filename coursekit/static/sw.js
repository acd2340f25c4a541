/* Learning to Fall: the course kept on this device for reading offline (written by coursekit at each
   build; VERSION changes whenever any file of the site changes). On install it saves every page,
   style, script, font, the search index and the exercise notebooks listed in the offline manifest
   (text, no media); pages are fetched fresh when there is a network and from the saved copy when
   there is not. Nothing is sent anywhere: the only requests are reads of this site's own files. */
"use strict";
const VERSION = "__VERSION__";
const MANIFEST = "__MANIFEST__";
const PREFIX = "coursekit-offline-";
const CACHE = PREFIX + VERSION;
const scope = new URL(self.registration.scope);

async function saveAll() {
  const manifest = await (await fetch(MANIFEST, { cache: "no-cache" })).json();
  const cache = await caches.open(CACHE);
  const have = new Set((await cache.keys()).map((r) => r.url));
  const todo = manifest.files.map((f) => new URL(f, scope).href).filter((u) => !have.has(u));
  for (let i = 0; i < todo.length; i += 8) {  // a few at a time, so a phone is not flooded
    await Promise.all(todo.slice(i, i + 8).map(async (url) => {
      const response = await fetch(url, { cache: "no-cache" });
      if (response.ok) await cache.put(url, response);
    }));
    tell({ type: "progress", done: Math.min(i + 8, todo.length) + (manifest.files.length - todo.length), total: manifest.files.length });
  }
  await cache.put(new URL(MANIFEST, scope).href, new Response(JSON.stringify(manifest), { headers: { "Content-Type": "application/json" } }));
  return manifest;
}

async function tell(message) {
  for (const client of await self.clients.matchAll({ includeUncontrolled: true })) client.postMessage(message);
}

async function status() {  // (never opens the cache: opening would make an empty one after "remove")
  const saved = await caches.match(new URL(MANIFEST, scope).href, { cacheName: CACHE });
  const manifest = saved ? await saved.json() : null;
  return { type: "status", version: VERSION, ready: !!manifest, bytes: manifest ? manifest.bytes : 0, files: manifest ? manifest.files.length : 0 };
}

self.addEventListener("install", (event) => {
  event.waitUntil(saveAll().then(() => self.skipWaiting()).catch(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
    await self.clients.claim();
    tell(await status());
  })());
});

self.addEventListener("message", (event) => {
  const what = event.data && event.data.type;
  if (what === "status") event.waitUntil(status().then((s) => event.source.postMessage(s)));
  if (what === "save") event.waitUntil(saveAll().then(status).then(tell).catch((e) => tell({ type: "error", message: String(e) })));
  if (what === "remove") event.waitUntil(caches.delete(CACHE).then(status).then(tell));
});

function offlinePage() {
  return new Response('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
    + '<title>Not saved for offline reading</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5">'
    + '<h1>This page is not saved on this device</h1><p>You are offline, and this page was not saved for reading offline. '
    + 'Go back to the page you were on, or open the course again when you have a connection.</p></body></html>',
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  if (request.mode === "navigate") {  // pages: fresh when there is a network, the saved copy when there is not
    event.respondWith((async () => {
      try {
        return await fetch(request);
      } catch {
        return (await caches.match(request, { ignoreSearch: true, cacheName: CACHE })) || offlinePage();
      }
    })());
    return;
  }
  event.respondWith((async () => {  // styles, scripts, fonts, notebooks: the saved copy of this version first
    const saved = await caches.match(request, { ignoreSearch: true, cacheName: CACHE });
    if (saved) return saved;
    return fetch(request);
  })());
});
