import type pg from 'pg';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded.ts';
import { migrate } from './migrate.ts';
import { createPool } from './pool.ts';

export interface Database {
  url: string;
  pool: pg.Pool;
  /** Set when JobPing started its own PostgreSQL (no DATABASE_URL). */
  embedded: EmbeddedPostgres | undefined;
  close(): Promise<void>;
}

/** DATABASE_URL when set; otherwise an embedded PostgreSQL under the data directory. */
export async function openDatabase(
  config: Config,
  logger: Logger,
  options: { migrate?: boolean; poolSize?: number } = {},
): Promise<Database> {
  const embedded = config.db.url
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: config.db.dataDir,
        logger: logger.child({ component: 'embedded-postgres' }),
      });
  const url = config.db.url ?? embedded!.url;
  const pool = createPool(url, logger, { max: options.poolSize ?? 10 });
  try {
    if (options.migrate ?? true) await migrate(pool, logger);
  } catch (err) {
    await pool.end();
    await embedded?.stop();
    throw err;
  }
  return {
    url,
    pool,
    embedded,
    async close() {
      await pool.end();
      await embedded?.stop();
    },
  };
}
