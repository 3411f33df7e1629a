import type { ChartClinician, ChartExport } from '../../services/chartExport/chartExportTypes.js';
import { concept, ext, namingSystem, prune, ref, type Resource } from './fhirCommon.js';

// The people and the organisation: Patient (with contacts), Practitioner, Organization.

const GENDER: Record<string, string> = {
  female: 'female',
  male: 'male',
  intersex: 'other',
  unknown: 'unknown',
};
const NPI = 'http://hl7.org/fhir/sid/us-npi';

export function organization(chart: ChartExport): Resource {
  const p = chart.practice;
  return prune({
    resourceType: 'Organization',
    id: p.id,
    identifier: [
      { system: namingSystem('practice'), value: p.id },
      p.npi ? { system: NPI, value: p.npi } : null,
    ],
    active: true,
    name: p.name,
    address: p.address
      ? [
          {
            line: [p.address.line1, p.address.line2],
            city: p.address.city,
            state: p.address.state,
            postalCode: p.address.postalCode,
            country: p.address.country,
          },
        ]
      : [],
    extension: [{ url: ext('practice-kind'), valueCode: p.kind }],
  });
}

export function practitioner(c: ChartClinician): Resource {
  return prune({
    resourceType: 'Practitioner',
    id: c.id,
    identifier: [{ system: namingSystem('user'), value: c.id }, c.npi ? { system: NPI, value: c.npi } : null],
    name: [{ text: c.name }],
    qualification:
      c.credentials || c.licenseNumber
        ? [
            {
              code: { text: c.credentials ?? 'Licence' },
              identifier: c.licenseNumber
                ? [{ system: namingSystem('licence'), value: c.licenseNumber }]
                : [],
            },
          ]
        : [],
    extension: c.roles.map((r) => ({ url: ext('practice-role'), valueCode: r })),
  });
}

const PHONE_USE: Record<string, string> = { mobile: 'mobile', home: 'home', work: 'work', other: 'temp' };

export function patient(chart: ChartExport): Resource {
  const c = chart.client;
  const emergency = concept('http://terminology.hl7.org/CodeSystem/v2-0131', 'C', 'Emergency Contact');
  return prune({
    resourceType: 'Patient',
    id: c.id,
    identifier: [
      {
        use: 'usual',
        type: { text: 'Record number' },
        system: namingSystem('client-code'),
        value: c.clientCode,
      },
    ],
    active: c.status === null ? undefined : c.status === 'active',
    name: [
      { use: 'official', family: c.legalLastName, given: [c.legalFirstName] },
      c.preferredName ? { use: 'usual', given: [c.preferredName] } : null,
    ],
    telecom: [
      ...c.phones.map((p, i) => ({
        system: 'phone',
        value: p.number,
        use: PHONE_USE[p.kind] ?? 'temp',
        rank: i + 1,
        extension: [{ url: ext('may-leave-message'), valueBoolean: p.mayLeaveMessage }],
      })),
      c.email ? { system: 'email', value: c.email } : null,
    ],
    gender: c.sex ? GENDER[c.sex] : undefined,
    birthDate: c.dateOfBirth,
    address: c.address
      ? [
          {
            use: 'home',
            line: [c.address.line1, c.address.line2],
            city: c.address.city,
            state: c.address.state,
            postalCode: c.address.postalCode,
            country: c.address.country,
          },
        ]
      : [],
    communication: c.preferredLanguage ? [{ language: { text: c.preferredLanguage }, preferred: true }] : [],
    generalPractitioner: c.primaryClinicianId ? [ref('Practitioner', c.primaryClinicianId)] : [],
    managingOrganization: ref('Organization', chart.practice.id),
    contact: chart.contacts.map((k) => ({
      relationship: [k.isEmergency ? emergency : null, { text: k.relationship }],
      name: { text: k.name },
      telecom: [
        k.phone ? { system: 'phone', value: k.phone } : null,
        k.email ? { system: 'email', value: k.email } : null,
      ],
      extension: [
        { url: ext('contact-id'), valueString: k.id },
        { url: ext('may-contact'), valueBoolean: k.mayContact },
        k.notes ? { url: ext('contact-notes'), valueString: k.notes } : null,
      ],
    })),
    extension: [
      c.pronouns ? { url: ext('pronouns'), valueString: c.pronouns } : null,
      c.genderIdentity ? { url: ext('gender-identity'), valueString: c.genderIdentity } : null,
      c.sex ? { url: ext('recorded-sex'), valueCode: c.sex } : null,
      c.referralSource ? { url: ext('referral-source'), valueString: c.referralSource } : null,
      c.intakeDate ? { url: ext('intake-date'), valueDate: c.intakeDate } : null,
      c.status ? { url: ext('client-status'), valueCode: c.status } : null,
      c.statusReason ? { url: ext('client-status-reason'), valueString: c.statusReason } : null,
      ...c.careTeam.map((id) => ({ url: ext('care-team-member'), valueReference: ref('Practitioner', id) })),
    ],
  });
}
