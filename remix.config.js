/** @type {import('@remix-run/dev').AppConfig} */
export default {
  appDirectory: "app",
  // The server entry is bundled together with the app into build/index.js,
  // so `node build/index.js` is the whole server (see docs/decisions/002-own-http-server.md).
  server: "app/server.ts",
  serverBuildPath: "build/index.js",
  serverModuleFormat: "esm",
  serverPlatform: "node",
  ignoredRouteFiles: ["**/.*", "**/*.test.*"],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_singleFetch: true,
    v3_lazyRouteDiscovery: true,
  },
};
