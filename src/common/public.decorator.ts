import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'isPublic';
/** Marks a controller or route as reachable without an API key (health, metrics). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
