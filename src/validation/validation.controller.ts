import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiErrorResponses, badRequest } from '../common/api-error-responses';
import { callerTracker } from '../common/api-key';
import { DteEnvelopePipe } from './dte-envelope.pipe';
import type { DteEnvelope } from './dte-envelope.pipe';
import { BareDteBodyDto, ValidateRequestDto } from './dto/validate.request.dto';
import { ValidateResponseDto } from './dto/validate.response.dto';
import { BARE_BODY_EXAMPLE, FACTURA_33_EXAMPLE, NOTA_CREDITO_61_EXAMPLE } from './dto/validation.examples';
import { ValidationService, ValidationVerdict } from './validation.service';

@ApiTags('validation')
@ApiExtraModels(ValidateRequestDto, BareDteBodyDto)
@Controller('api/ai')
export class ValidationController {
  constructor(private readonly validation: ValidationService) {}

  @Post('validate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Pre-validación de un DTE antes de enviarlo al SII',
    description:
      'Reglas deterministas (RUT y dígito verificador, tipo, folio, montos, IVA 19%, total, referencias de notas, ' +
      'fecha de emisión, emisor ≠ receptor) y luego una revisión del modelo con el historial de rechazos de la compañía. ' +
      'Todo problema dentro de `dte_data` se responde 200 con `errors` y `recommendation: "reject"`; solo un sobre mal ' +
      'formado es 400. También acepta el DTE sin sobre (cliente antiguo de Odoo), `tipo` por `tipo_dte` e `iva` por `monto_iva`.',
  })
  @ApiBody({
    description: 'El sobre de `dte.ai.client` o, del cliente antiguo, el DTE solo',
    schema: { anyOf: [{ $ref: getSchemaPath(ValidateRequestDto) }, { $ref: getSchemaPath(BareDteBodyDto) }] },
    examples: {
      factura_33: {
        summary: 'Factura electrónica 33 válida (montos como float, como los envía Odoo)',
        value: FACTURA_33_EXAMPLE,
      },
      nota_credito_61: {
        summary: 'Nota de crédito 61 con referencia a la factura que corrige',
        value: NOTA_CREDITO_61_EXAMPLE,
      },
      cuerpo_sin_sobre: {
        summary: 'Cliente antiguo: el DTE como cuerpo, con alias tipo e iva',
        value: BARE_BODY_EXAMPLE,
      },
    },
  })
  @ApiOkResponse({ type: ValidateResponseDto, description: 'Veredicto (también para un DTE con errores)' })
  // Never 429 nor 5xx: Odoo would read either as "valid" (docs/odoo-integration.md); an internal error is a 200 `review`.
  @ApiErrorResponses(
    badRequest(
      'Sobre mal formado: falta dte_data, company_id no es entero positivo, o history no es lista de a lo más 100',
      'dte_data',
      'El campo "dte_data" es obligatorio: envíe {"dte_data": {...}, "company_id": N, "history": []} o el DTE como objeto JSON.',
      'El campo "dte_data" es obligatorio: envíe {"dte_data": {...}, "company_id": N, "history": []} o el DTE como objeto JSON.',
    ),
    401,
    413,
    415,
  )
  // Never a 429: Odoo would read it as "valid". The service checks its own budget (VALIDATION_RATE_LIMIT_PER_MINUTE).
  @SkipThrottle()
  validate(
    @Body(DteEnvelopePipe) envelope: DteEnvelope,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ValidationVerdict> {
    return this.validation.validate(envelope, {
      caller: callerTracker(request.headers, request.ip),
      elapsedMs: reply.elapsedTime,
    });
  }
}
