import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfig } from '../config/app-config';
import { bearerToken, matchesAnyKey } from './api-key';
import { IS_PUBLIC } from './public.decorator';

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    const token = bearerToken(request.headers.authorization);
    if (token && matchesAnyKey(token, this.config.apiKeys)) return true;
    throw new UnauthorizedException(
      token ? 'La clave de API no es válida.' : 'Falta la clave de API (encabezado Authorization: Bearer <clave>).',
    );
  }
}
