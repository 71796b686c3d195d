import { UnauthorizedException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { bearerToken, matchesAnyKey } from './api-key';

/** The routes that need the key (docs/api.md): everything under /api, and the cost report. */
const isProtectedRoute = (route: string | undefined) =>
  route !== undefined &&
  (route.startsWith('/api/') || route === '/metrics/costs' || route.startsWith('/metrics/costs/'));

const filter = new AllExceptionsFilter();

/**
 * Fastify `onRequest` hook: the API key is checked as soon as the headers are in, before any byte
 * of the body is read, so a wrong key costs nothing (not even a 1 MiB body) and is never rate
 * limited. Unknown routes stay 404 and public ones (health, metrics, docs) need no key.
 */
export function apiKeyHook(keys: readonly string[]) {
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (!isProtectedRoute(request.routeOptions.url)) return done();
    const token = bearerToken(request.headers.authorization);
    if (token && matchesAnyKey(token, keys)) return done();
    const { body } = filter.toBody(
      new UnauthorizedException(
        token ? 'La clave de API no es válida.' : 'Falta la clave de API (encabezado Authorization: Bearer <clave>).',
      ),
    );
    void reply.code(401).type('application/json; charset=utf-8').send(body);
  };
}
