import { describe, expect, it } from 'vitest';
import { emptyRunWarning } from './source-health.ts';

describe('the empty-run flag', () => {
  it('is raised only when a board that found plenty in its last three runs finds nothing', () => {
    expect(emptyRunWarning(0, [40, 38, 41])).toBe(
      'found 0 postings where its previous 3 runs found 40, 38, 41: the board may have changed its format or be blocking us',
    );
    expect(emptyRunWarning(2, [40, 38, 41])).toBeNull();
    // Too little history, or a small board that empties out for real.
    expect(emptyRunWarning(0, [40, 38])).toBeNull();
    expect(emptyRunWarning(0, [40, 3, 41])).toBeNull();
  });
});
