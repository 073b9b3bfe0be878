// The one loopback check of the SDK. Loopback means a literal loopback address or the name
// `localhost` itself — never `*.localhost` or `localhost.`, which are looked up in DNS like
// any other name and may point anywhere.

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/;

/** The four bytes of a dotted-decimal IPv4 address, or `undefined`. */
function ipv4(text: string): number[] | undefined {
  const m = IPV4.exec(text);
  if (!m) return undefined;
  const bytes = m.slice(1).map(Number);
  return bytes.every((b) => b <= 255) ? bytes : undefined;
}

/** The eight 16-bit groups of an IPv6 address (an embedded IPv4 tail allowed), or `undefined`. */
function ipv6(text: string): number[] | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const parse = (part: string): number[] | undefined => {
    if (part === "") return [];
    const groups: number[] = [];
    const pieces = part.split(":");
    for (const [i, piece] of pieces.entries()) {
      const v4 = i === pieces.length - 1 ? ipv4(piece) : undefined;
      if (v4)
        groups.push(
          ((v4[0] as number) << 8) | (v4[1] as number),
          ((v4[2] as number) << 8) | (v4[3] as number),
        );
      else if (HEX_GROUP.test(piece)) groups.push(Number.parseInt(piece, 16));
      else return undefined;
    }
    return groups;
  };
  const head = parse(halves[0] as string);
  const tail = halves.length === 2 ? parse(halves[1] as string) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/**
 * Whether `host` is this machine's loopback interface: `localhost`, an IPv4 address in
 * 127.0.0.0/8, `::1`, or an IPv4-mapped 127.x address — in brackets or not, in any case.
 * Accepts a URL's `hostname` as well as a host option given to a server.
 *
 * @param host - A host name or IP address literal.
 * @returns Whether it is loopback.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (h === "localhost") return true;
  const v4 = ipv4(h);
  if (v4) return v4[0] === 127;
  const v6 = ipv6(h);
  if (!v6) return false;
  const zeros = (n: number) => v6.slice(0, n).every((g) => g === 0);
  if (zeros(7) && v6[7] === 1) return true; // ::1
  return zeros(5) && v6[5] === 0xffff && (v6[6] as number) >> 8 === 127; // ::ffff:127.x.x.x
}
