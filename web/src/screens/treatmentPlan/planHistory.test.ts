import { describe, expect, it } from 'vitest';
import { changeCountText, changeValueText } from './planHistory.js';

describe('changeCountText', () => {
  it('names the first version, and counts changes from the one before', () => {
    expect(changeCountText({ previous: null, changes: [] })).toBe('The first version of the plan.');
    expect(changeCountText({ previous: { versionNo: 1 }, changes: [] })).toBe('No changes from version 1.');
    expect(changeCountText({ previous: { versionNo: 1 }, changes: [{}] })).toBe('1 change from version 1:');
    expect(changeCountText({ previous: { versionNo: 2 }, changes: [{}, {}] })).toBe(
      '2 changes from version 2:',
    );
  });
});

describe('changeValueText', () => {
  it('shows a date as a date and any other text as it is', () => {
    expect(changeValueText('2027-03-27')).toBe('Mar 27, 2027');
    expect(changeValueText('No attacks for 4 weeks')).toBe('No attacks for 4 weeks');
  });
});
