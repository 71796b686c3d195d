import { Module } from '@nestjs/common';

/** Placeholder: filled in by its own issue. */
@Module({})
export class SiiModule {}
