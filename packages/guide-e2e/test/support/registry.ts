// A read-only npm registry for ONE scope, serving packed tarballs: the project under test
// gets `@unpod:registry=<this>` and installs `@unpod/*` with plain `npm install @unpod/node`,
// exactly as it will once the packages are published; every other package comes from npm.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { basename } from "node:path";

/** A running scoped registry. */
export interface ScopedRegistry {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** The `name@version` of every package it serves. */
  packages: string[];
  /** Every request it answered, `GET /path → status`, for a failure message. */
  log: string[];
  close(): Promise<void>;
}

interface Served {
  packument: Record<string, unknown>;
  tarball: { file: string; bytes: Buffer };
}

/** Reads `package/package.json` out of a packed tarball. */
function manifestOf(file: string): Record<string, unknown> & { name: string; version: string } {
  const text = execFileSync("tar", ["-xzOf", file, "package/package.json"], {
    encoding: "utf8",
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(text);
}

/**
 * Serves the tarballs (one version each) under their names; anything else is 404.
 *
 * @param scope - e.g. `@unpod`: every tarball must be in it.
 */
export function startScopedRegistry(scope: string, tarballs: string[]): Promise<ScopedRegistry> {
  const served = new Map<string, Served>();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname).slice(1);
    const answer = (status: number, type: string, body: string | Buffer) => {
      log.push(`${req.method} /${path} → ${status}`);
      res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(body) });
      res.end(body);
    };
    const tarball = path.match(/^(.+)\/-\/([^/]+\.tgz)$/);
    const entry = served.get(tarball ? (tarball[1] as string) : path);
    if (!entry) return answer(404, "application/json", '{"error":"Not found"}');
    if (tarball) {
      if (tarball[2] !== basename(entry.tarball.file)) {
        return answer(404, "application/json", '{"error":"Not found"}');
      }
      return answer(200, "application/octet-stream", entry.tarball.bytes);
    }
    return answer(200, "application/json", JSON.stringify(entry.packument));
  });
  const log: string[] = [];
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      const url = `http://127.0.0.1:${port}/`;
      for (const file of tarballs) {
        const manifest = manifestOf(file);
        if (!manifest.name.startsWith(`${scope}/`)) {
          reject(new Error(`${file}: ${manifest.name} is not in ${scope}`));
          return;
        }
        const bytes = readFileSync(file);
        const version = {
          ...manifest,
          _id: `${manifest.name}@${manifest.version}`,
          dist: {
            tarball: `${url}${manifest.name}/-/${basename(file)}`,
            shasum: createHash("sha1").update(bytes).digest("hex"),
            integrity: `sha512-${createHash("sha512").update(bytes).digest("base64")}`,
          },
        };
        served.set(manifest.name, {
          packument: {
            name: manifest.name,
            "dist-tags": { latest: manifest.version },
            versions: { [manifest.version]: version },
          },
          tarball: { file, bytes },
        });
      }
      resolve({
        url,
        packages: [...served.values()].map(
          (s) => `${s.packument.name}@${Object.keys(s.packument.versions as object)[0]}`,
        ),
        log,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
