import { Controller, Get, HttpCode, Logger, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, AUTHENTICATED_ERRORS, badRequest } from '../common/api-error-responses';
import { DomainError, ErrorCode } from '../common/domain-error';
import { logEvent } from '../common/log-event';
import { KnowledgeSearchQueryDto } from './dto/knowledge-search.query.dto';
import { KnowledgeReloadResponseDto, KnowledgeSearchResponseDto } from './dto/knowledge-search.response.dto';
import { KnowledgeService } from './knowledge.service';
import { DEFAULT_TOP_K } from './search/knowledge-index';

@ApiTags('knowledge')
@ApiErrorResponses(...AUTHENTICATED_ERRORS)
@Controller('api/chat/knowledge')
export class KnowledgeController {
  private readonly logger = new Logger('KnowledgeController');

  constructor(private readonly knowledge: KnowledgeService) {}

  @Get('search')
  @ApiOperation({
    summary: 'Busca en la base de conocimiento (BM25 con acentos, raíces en español y tolerancia a errores de tipeo)',
    description:
      'Devuelve los `top_k` documentos más pertinentes. `content` trae el documento completo si es corto; si no, el párrafo inicial y las secciones que mejor responden la consulta (lo que conviene poner en un prompt de chat). Parámetros desconocidos → 400.',
  })
  @ApiOkResponse({ type: KnowledgeSearchResponseDto })
  @ApiErrorResponses(
    badRequest(
      '`query` ausente, vacía o > 500 caracteres; `top_k` fuera de 1–20; `module` desconocido; parámetro desconocido',
      'top_k',
      'top_k must not be greater than 20',
      'El campo "top_k" debe ser menor o igual a 20.',
    ),
    [503, 'La base de conocimiento no está cargada (carpeta vacía o inexistente)'],
  )
  search(@Query() q: KnowledgeSearchQueryDto): KnowledgeSearchResponseDto {
    // An empty list would read as "nothing relevant"; say instead that search is unavailable.
    if (!this.knowledge.isLoaded())
      throw new DomainError(
        ErrorCode.KNOWLEDGE_NOT_LOADED,
        'La base de conocimiento no está cargada; intente nuevamente más tarde.',
      );
    return {
      query: q.query,
      results: this.knowledge.search(q.query, { topK: q.top_k ?? DEFAULT_TOP_K, module: q.module }),
    };
  }

  @Post('reload')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Vuelve a leer la carpeta de documentos sin reiniciar (equivale a enviar SIGHUP al proceso)',
  })
  @ApiOkResponse({ type: KnowledgeReloadResponseDto })
  @ApiErrorResponses([503, 'La carpeta no tiene documentos válidos; se mantiene la versión anterior si existía'])
  async reload(): Promise<KnowledgeReloadResponseDto> {
    logEvent(this.logger, 'knowledge_base_reload_requested', { trigger: 'http' });
    return this.knowledge.reload();
  }
}
