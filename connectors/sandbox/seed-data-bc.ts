import type { Fields } from '../../core/model/record.js';
import type { BcTable } from '../../core/model/tables.js';
import { customers, vendors } from './seed-data-bc-accounts.js';

const person = (
  no: string,
  first: string,
  last: string,
  companyNo: string,
  company: string,
  title: string,
  email: string,
  phone: string,
): Fields => ({
  'No.': no,
  Name: `${first} ${last}`,
  Type: 'Person',
  'Company No.': companyNo,
  'Company Name': company,
  'First Name': first,
  'Middle Name': '',
  Surname: last,
  'Job Title': title,
  'E-Mail': email,
  'Phone No.': phone,
  'Mobile Phone No.': '',
  'Fax No.': '',
  Address: '',
  'Address 2': '',
  'Post Code': '',
  City: '',
  'Country/Region Code': 'US',
  'Home Page': '',
});

const company = (no: string, name: string): Fields => ({
  'No.': no,
  Name: name,
  Type: 'Company',
  'Company No.': no,
  'Company Name': name,
});

const contacts: Fields[] = [
  company('CT100', 'Adatum Corporation'),
  company('CT200', 'Trey Research'),
  company('CT300', 'School of Fine Art'),
  company('CT400', 'Alpine Ski House'),
  person(
    'CT101',
    'Robert',
    'Townes',
    'CT100',
    'Adatum Corporation',
    'Purchasing Manager',
    'robert.townes@adatum.com',
    '+1 425 555 0100',
  ),
  person(
    'CT201',
    'Helen',
    'Ray',
    'CT200',
    'Trey Research',
    'Owner',
    'helen.ray@treyresearch.net',
    '+1 312 555 0142',
  ),
  person(
    'CT301',
    'Meagan',
    'Bond',
    'CT300',
    'School of Fine Art',
    'Administrator',
    'meagan.bond@fineartschool.net',
    '+1 305 555 0190',
  ),
  person(
    'CT401',
    'Ian',
    'Deberry',
    'CT400',
    'Alpine Ski House',
    'Buyer',
    'ian.deberry@alpineskihouse.com',
    '+1 404 555 0115',
  ),
  person('CT901', 'Mark', 'McArthur', '', '', 'Consultant', 'mark.mcarthur@example.com', '+1 206 555 0199'),
];

const item = (no: string, description: string, price: number, cost: number, blocked = false): Fields => ({
  'No.': no,
  Description: description,
  'Unit Price': price,
  'Unit Cost': cost,
  'Base Unit of Measure': 'PCS',
  Blocked: blocked,
});

const items: Fields[] = [
  item('1896-S', 'ATHENS Desk', 1000.8, 780.7),
  item('1900-S', 'PARIS Guest Chair, black', 192.8, 150.4),
  item('1906-S', 'ATHENS Mobile Pedestal', 281.4, 219.5),
  item('1908-S', 'LONDON Swivel Chair, blue', 190.1, 148.3),
  item('1920-S', 'ANTWERP Conference Table', 420.4, 328),
  item('1928-S', 'AMSTERDAM Lamp', 54.9, 42.8),
  item('1936-S', 'BERLIN Guest Chair, yellow', 192.8, 150.4),
  item('1972-S', 'MUNICH Swivel Chair, yellow', 190.1, 148.3, true),
];

const resources: Fields[] = [
  {
    'No.': 'LINDA',
    Name: 'Linda Martin',
    'Unit Price': 100,
    'Unit Cost': 55,
    'Base Unit of Measure': 'HOUR',
    Blocked: false,
  },
  {
    'No.': 'MARTY',
    Name: 'Marty Horst',
    'Unit Price': 90,
    'Unit Cost': 50,
    'Base Unit of Measure': 'HOUR',
    Blocked: false,
  },
];

const salespeople: Fields[] = [
  { Code: 'JO', Name: 'Jim Olive', 'E-Mail': 'jim.olive@cronus.com', 'Phone No.': '+1 425 555 0111' },
  { Code: 'OF', Name: 'Otis Falls', 'E-Mail': 'otis.falls@cronus.com', 'Phone No.': '+1 425 555 0112' },
  { Code: 'PS', Name: 'Peter Saddow', 'E-Mail': 'peter.saddow@cronus.com', 'Phone No.': '+1 425 555 0113' },
];

const currencies: Fields[] = [
  { Code: 'EUR', Symbol: '€', Description: 'Euro', 'Currency Factor': 0.92 },
  { Code: 'GBP', Symbol: '£', Description: 'Pound Sterling', 'Currency Factor': 0.79 },
  { Code: 'CAD', Symbol: '$', Description: 'Canadian dollar', 'Currency Factor': 1.36 },
];

/**
 * Business Central side of the sandbox: the CRONUS demo company (domain.md §8). Field names are the
 * ones the default mappings use ("No.", "Phone No.", "Credit Limit (LCY)").
 */
export const BC_SEED: Record<BcTable, Fields[]> = {
  Customer: customers,
  Vendor: vendors,
  Contact: contacts,
  Item: items,
  Resource: resources,
  'Salesperson/Purchaser': salespeople,
  Currency: currencies,
};
