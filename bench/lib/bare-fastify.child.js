'use strict';
// Calibration server: a bare Fastify JSON POST (no Nest, no middleware), the same framework floor the
// developers' guide quotes (~28k req/s on 2 quiet cores). Plain JS so it starts without ts-node.
const fastify = require('fastify')({ logger: false });

fastify.post('/echo', async (req) => ({ ok: true, received: req.body }));
fastify.get('/', async () => ({ ok: true }));
fastify.listen({ port: Number(process.argv[2]), host: '127.0.0.1' }).catch((e) => {
  process.stderr.write(`${e.stack}\n`);
  process.exit(1);
});
process.on('SIGTERM', () => fastify.close().then(() => process.exit(0)));
