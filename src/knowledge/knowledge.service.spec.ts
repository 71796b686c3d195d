import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { DomainError, ErrorCode } from '../common/domain-error';
import { buildAppConfig } from '../config/app-config';
import { KnowledgeService, resolveKnowledgeDir } from './knowledge.service';

const doc = (id: string, title: string, body: string, module = 'l10n_cl_dte') =>
  `---\nid: ${id}\ntitle: "${title}"\ntags: [${id}, prueba]\nmodule: ${module}\nsources: ["Ley de prueba, art. 1"]\nreviewed: 2026-11-30\n---\n${body} Documento de prueba.\n`;

const serviceFor = (dir: string) => new KnowledgeService(buildAppConfig({ KNOWLEDGE_BASE_DIR: dir, NODE_ENV: 'test' }));

describe('KnowledgeService', () => {
  let dir: string;
  let service: KnowledgeService;
  beforeAll(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kb-svc-'));
  });
  afterEach(async () => {
    service?.onModuleDestroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('loads and indexes the folder at start-up', async () => {
    await writeFile(
      join(dir, 'nc.md'),
      doc('nota-credito', 'Nota de crédito', 'Cómo emitir una nota de crédito que anula una factura.'),
    );
    await writeFile(
      join(dir, 'afp.md'),
      doc('afp', 'Cotización AFP', 'La cotización de pensiones es 10% más la comisión.', 'hr_payroll'),
    );
    service = serviceFor(dir);
    await service.onModuleInit();
    expect(service.isLoaded()).toBe(true);
    expect(service.stats()).toMatchObject({ documents_count: 2, total_tags: 3 });
    expect(service.search('nota de credito')[0]).toMatchObject({
      id: 'nota-credito',
      module: 'l10n_cl_dte',
      tags: ['nota-credito', 'prueba'],
    });
    expect(service.search('nota de credito', { module: 'hr_payroll' }).map((h) => h.id)).toEqual([]);
    expect(service.search('comisión', { module: 'general' }).map((h) => h.id)).toEqual(['afp']);
    expect(service.getById('afp')?.title).toBe('Cotización AFP');
    expect(service.getById('nada')).toBeUndefined();
    expect(service.search('   ')).toEqual([]);
  });

  it('is not loaded when the folder is empty or missing, and search answers nothing', async () => {
    service = serviceFor(dir);
    await service.onModuleInit();
    expect(service.isLoaded()).toBe(false);
    expect(service.stats()).toEqual({
      documents_count: 0,
      total_tags: 0,
      not_reviewed_last_12_months: 0,
      stale_documents: [],
    });
    expect(service.search('factura')).toEqual([]);

    const missing = serviceFor(join(dir, 'no-existe'));
    await missing.onModuleInit();
    expect(missing.isLoaded()).toBe(false);
    await expect(missing.reload()).rejects.toMatchObject({ code: ErrorCode.KNOWLEDGE_NOT_LOADED });
    missing.onModuleDestroy();
  });

  it('picks up new documents on reload and reports skipped ones', async () => {
    await writeFile(join(dir, 'a.md'), doc('doc-a', 'Factura exenta', 'La factura exenta no lleva IVA.'));
    service = serviceFor(dir);
    await service.onModuleInit();
    await writeFile(join(dir, 'b.md'), doc('doc-b', 'Guía de despacho', 'La guía ampara el traslado de mercadería.'));
    await writeFile(
      join(dir, 'c.md'),
      `---\nid: doc-c\ntitle: C\ntags: uno\nmodule: account\nsources: ["Ley de prueba, art. 1"]\nreviewed: 2026-11-30\n---\nCuerpo suficientemente largo para pasar el mínimo.`,
    );
    const result = await service.reload();
    expect(result).toMatchObject({
      loaded: true,
      documents_count: 2,
      skipped: [{ file: 'c.md', field: 'tags', reason: expect.any(String) }],
    });
    expect(service.search('traslado')[0].id).toBe('doc-b');
  });

  it('keeps serving the previous index when a reload finds no valid document', async () => {
    await writeFile(join(dir, 'a.md'), doc('doc-a', 'Factura exenta', 'La factura exenta no lleva IVA.'));
    service = serviceFor(dir);
    await service.onModuleInit();
    await unlink(join(dir, 'a.md'));
    const error = await service.reload().catch((e) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.detail).toContain('se mantiene la versión anterior');
    expect(service.isLoaded()).toBe(true);
    expect(service.search('exenta')[0].id).toBe('doc-a');
  });

  it('swaps the index atomically: searches during a reload see the old snapshot, then the new one', async () => {
    for (let i = 0; i < 40; i++)
      await writeFile(
        join(dir, `d${i}.md`),
        doc(`d${i}`, `Documento ${i}`, 'Texto sobre conciliación bancaria del mes.'),
      );
    service = serviceFor(dir);
    await service.onModuleInit();
    for (let i = 0; i < 40; i++)
      await writeFile(join(dir, `d${i}.md`), doc(`d${i}`, `Documento ${i}`, 'Texto sobre remuneraciones y Previred.'));
    const pending = service.reload();
    const again = service.reload();
    expect(again).toBe(pending); // concurrent reloads share one run
    expect(service.search('conciliacion').length).toBeGreaterThan(0); // still the old index
    expect(service.search('previred')).toEqual([]);
    await pending;
    expect(service.search('conciliacion')).toEqual([]);
    expect(service.search('previred').length).toBe(3);
  });

  it('reloads on SIGHUP and stops listening when the module is destroyed', async () => {
    await writeFile(join(dir, 'a.md'), doc('doc-a', 'Factura exenta', 'La factura exenta no lleva IVA.'));
    service = serviceFor(dir);
    const before = process.listenerCount('SIGHUP');
    await service.onModuleInit();
    expect(process.listenerCount('SIGHUP')).toBe(before + 1);
    await writeFile(join(dir, 'b.md'), doc('doc-b', 'Boleta electrónica', 'Boleta para consumidor final.'));
    process.emit('SIGHUP', 'SIGHUP');
    for (let i = 0; i < 100 && service.stats().documents_count < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(service.stats().documents_count).toBe(2);
    service.onModuleDestroy();
    expect(process.listenerCount('SIGHUP')).toBe(before);
  });
});

describe('resolveKnowledgeDir', () => {
  it('keeps absolute paths and resolves relative ones from the working directory or the project root', () => {
    expect(resolveKnowledgeDir('/srv/kb')).toBe('/srv/kb');
    expect(resolveKnowledgeDir('knowledge-base')).toBe(resolve(__dirname, '..', '..', 'knowledge-base'));
    expect(resolveKnowledgeDir('no-existe-en-ningun-lado')).toBe(resolve(process.cwd(), 'no-existe-en-ningun-lado'));
  });
});
