import { describe, expect, it } from 'vitest';
import {
  companyDomain,
  jaro,
  jaroWinkler,
  nameSimilarity,
  similarity,
  type NearKeys,
} from '../../../core/match/similarity.js';

const pct = (x: number): number => Math.floor(x * 100 + 1e-9);

describe('Jaro and Jaro-Winkler', () => {
  it.each([
    // a, b, Jaro %, Jaro-Winkler % (the textbook pairs and ours)
    ['martha', 'marhta', 94, 96],
    ['dwayne', 'duane', 82, 84],
    ['dixon', 'dicksonx', 76, 81],
    ['north wind traders', 'northwind traders', 93, 95],
    ['contoso', 'contosso', 95, 97],
    ['adatum', 'fabrikam', 52, 52],
    ['same', 'same', 100, 100],
    ['abc', '', 0, 0],
    ['abc', 'xyz', 0, 0],
  ])('%s / %s: Jaro %i, Jaro-Winkler %i percent', (a, b, j, jw) => {
    expect(pct(jaro(a, b))).toBe(j);
    expect(pct(jaroWinkler(a, b))).toBe(jw);
    expect(jaroWinkler(b, a)).toBeCloseTo(jaroWinkler(a, b), 12);
  });
});

describe('name similarity compares the names as Set Up Coupling normalises them', () => {
  it.each([
    ['North Wind Traders', 'Northwind Traders', 95],
    ['The Cannon Group, Inc.', 'Cannon Group', 100],
    ['Café Ébène GmbH', 'cafe ebene', 100],
    ['Trey Research', 'Tray Research', 89],
    ['Coho Winery', 'Coho Vineyard', 91],
    ['Adatum Corporation', 'Fabrikam, Inc.', 52],
    ['Inc.', 'Adatum', 0],
  ])('%s / %s: %i percent', (a: string, b: string, expected: number) => {
    expect(pct(nameSimilarity(a, b))).toBe(expected);
  });
});

describe('company e-mail domains', () => {
  it.each([
    ['Sales@Northwind.Example', 'northwind.example'],
    ['someone@gmail.com', ''],
    ['someone@OUTLOOK.com', ''],
    ['someone@hotmail.com', ''],
    ['no-at-sign.example', ''],
    ['@northwind.example', ''],
    ['a@localhost', ''],
  ])('%s → "%s"', (email, domain) => {
    expect(companyDomain(email)).toBe(domain);
  });
});

const keys = (name: string, email = '', phone = ''): NearKeys => ({ name, email, phone });

describe('the near-match score and its reasons', () => {
  it.each<[string, NearKeys, NearKeys, number | null, string[]]>([
    [
      'a similar name alone',
      keys('North Wind Traders'),
      keys('Northwind Traders'),
      95,
      ["name 95% similar: 'North Wind Traders' vs 'Northwind Traders'"],
    ],
    [
      'similar name and the same phone digits in another format',
      keys('North Wind Traders', '', '+1 425 555 0100'),
      keys('Northwind Traders', '', '(425) 555-0100'),
      99,
      ["name 95% similar: 'North Wind Traders' vs 'Northwind Traders'", 'same phone digits'],
    ],
    [
      'the same phone alone',
      keys('Adatum', '', '425-555-0100'),
      keys('Fabrikam', '', '4255550100'),
      90,
      ['same phone digits'],
    ],
    [
      'the same company domain alone',
      keys('Adatum', 'anna@adatum.example'),
      keys('Fabrikam', 'SALES@ADATUM.EXAMPLE'),
      60,
      ['same e-mail domain'],
    ],
    [
      'the same address counts once, not as a domain too',
      keys('A', 'x@adatum.example'),
      keys('B', 'X@adatum.example'),
      95,
      ['same e-mail address'],
    ],
    [
      'a free-mail domain is no evidence',
      keys('Adatum', 'anna@gmail.com'),
      keys('Fabrikam', 'bob@gmail.com'),
      null,
      [],
    ],
    ['a name below 88% is no evidence', keys('Coho Vineyard Supplies'), keys('Litware Vineyard'), null, []],
    [
      'too few phone digits are no evidence',
      keys('Adatum', '', '555'),
      keys('Fabrikam', '', '555'),
      null,
      [],
    ],
  ])('%s', (_, bc, dv, score, reasons) => {
    const s = similarity(bc, dv);
    if (score === null) expect(s).toBeNull();
    else expect(s).toEqual({ score, reasons });
  });
});
