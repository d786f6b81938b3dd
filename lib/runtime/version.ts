// The running Tailguard version (from package.json when started through npm).
export const VERSION = process.env.npm_package_version ?? "0.1.0";
