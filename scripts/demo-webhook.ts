import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The demo's webhook receiver on 127.0.0.1: it prints every alert notification the dashboard
 * sends, so `npm run demo` shows the whole path from a stopped engine to a delivered message.
 */
export async function startDemoWebhook(
  print: (line: string) => void,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      try {
        const message = JSON.parse(body) as { title?: string; alert?: { message?: string } };
        print(`webhook received: ${message.title ?? '?'} — ${message.alert?.message ?? ''}`);
      } catch {
        print(`webhook received something that is not JSON (${body.length} bytes)`);
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/tradewatch-alerts`, server };
}
