import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../core/errors.ts';
import { DEFAULT_PREFERENCES } from '../../core/types.ts';
import { prefsCommandOf, prefsModal } from './prefs-modal.ts';

const search = {
  keywords: 'typescript, node',
  exclude: '',
  locations: 'berlin',
  remote: 'flexible',
  salary: '',
};

describe('the preferences modals', () => {
  it('show the current preferences, at most five inputs each', () => {
    const modal = prefsModal('search', {
      ...DEFAULT_PREFERENCES,
      keywords: ['rust'],
      salaryMin: 90000,
      salaryCurrency: 'EUR',
    });
    expect(modal.components).toHaveLength(5);
    const values = Object.fromEntries(
      modal.components.map((c) => {
        const label = c as { component: { custom_id: string; value?: string } };
        return [label.component.custom_id, label.component.value];
      }),
    );
    expect(values).toEqual({
      keywords: 'rust',
      exclude: undefined,
      locations: undefined,
      remote: 'any',
      salary: '90000 EUR',
    });
    expect(prefsModal('alerts', DEFAULT_PREFERENCES).components).toHaveLength(4);
  });

  it('read the salary with its currency before or after the amount, or clear it', () => {
    const changes = (salary: string) => {
      const command = prefsCommandOf('search', { ...search, salary });
      return command.name === 'prefs.set' ? command.changes : null;
    };
    expect(changes('120k USD')).toMatchObject({ salaryMin: 120000, salaryCurrency: 'USD' });
    expect(changes('eur 90,000')).toMatchObject({ salaryMin: 90000, salaryCurrency: 'EUR' });
    expect(changes('150000')).toMatchObject({ salaryMin: 150000 });
    expect(changes('150000')).not.toHaveProperty('salaryCurrency');
    expect(changes('')).toMatchObject({ salaryMin: null, remote: 'remote_or_hybrid', locations: ['berlin'] });
  });

  it('name every bad field at once', () => {
    const attempt = () =>
      prefsCommandOf('alerts', { alerts: 'sometimes', threshold: '140', seniority: 'wizard', blocked: '' });
    expect(attempt).toThrow(InvalidInputError);
    expect(attempt).toThrow(/alerts: expected instant, digest or off/);
    expect(attempt).toThrow(/threshold: expected a whole number from 0 to 100/);
    expect(attempt).toThrow(/seniority: unknown level wizard/);
  });

  it('refuse a submission that lacks an input', () => {
    expect(() => prefsCommandOf('search', { keywords: 'go' })).toThrow(/came back incomplete \(exclude: /);
  });
});
