import { z } from 'zod';

// The parts of FHIR R4 resources the importer reads, as zod shapes: only what is read is
// checked; everything else in a resource is allowed through (loose objects) and ignored.

const str = (max = 10_000) => z.string().max(max);
const coding = z.looseObject({
  system: str(500).optional(),
  code: str(200).optional(),
  display: str(1000).optional(),
});
export const codeableConcept = z.looseObject({
  coding: z.array(coding).max(50).optional(),
  text: str(2000).optional(),
});
const reference = z.looseObject({ reference: str(500).optional(), display: str(500).optional() });
const extension = z.looseObject({
  url: str(500),
  valueString: str().optional(),
  valueCode: str(200).optional(),
  valueDate: str(40).optional(),
  valueBoolean: z.boolean().optional(),
});
const meta = z
  .looseObject({ security: z.array(coding).max(50).optional(), source: str(500).optional() })
  .optional();
const fhirDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a full date (YYYY-MM-DD)');
const dateTime = z
  .string()
  .regex(
    /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/,
    'Not a FHIR dateTime',
  );

export const anyResource = z.looseObject({
  resourceType: z.string().regex(/^[A-Z][A-Za-z]{1,63}$/, 'Not a FHIR resource type'),
  id: z
    .string()
    .regex(/^[A-Za-z0-9\-.]{1,64}$/, 'Not a FHIR id')
    .optional(),
  meta,
});

export const bundleShape = z.looseObject({
  resourceType: z.literal('Bundle'),
  type: z.enum(['document', 'collection', 'transaction', 'batch', 'searchset', 'message']),
  meta,
  entry: z
    .array(z.looseObject({ fullUrl: str(1000).optional(), resource: anyResource }))
    .min(1, 'The bundle has no entries')
    .max(20_000),
});

export const patientShape = z.looseObject({
  resourceType: z.literal('Patient'),
  name: z
    .array(
      z.looseObject({
        use: str(20).optional(),
        family: str(100).optional(),
        given: z.array(str(100)).max(5).optional(),
        text: str(200).optional(),
      }),
    )
    .max(20)
    .optional(),
  birthDate: fhirDate,
  gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
  telecom: z
    .array(z.looseObject({ system: str(20).optional(), value: str(254).optional(), use: str(20).optional() }))
    .max(20)
    .optional(),
  address: z
    .array(
      z.looseObject({
        line: z.array(str(200)).max(4).optional(),
        city: str(100).optional(),
        state: str(50).optional(),
        postalCode: str(20).optional(),
        country: str(50).optional(),
      }),
    )
    .max(10)
    .optional(),
  communication: z
    .array(z.looseObject({ language: codeableConcept }))
    .max(10)
    .optional(),
  extension: z.array(extension).max(100).optional(),
});
export type FhirPatient = z.infer<typeof patientShape>;

export const conditionShape = z.looseObject({
  resourceType: z.literal('Condition'),
  id: str(64).optional(),
  code: codeableConcept.optional(),
  clinicalStatus: codeableConcept.optional(),
  verificationStatus: codeableConcept.optional(),
  onsetDateTime: dateTime.optional(),
  abatementDateTime: dateTime.optional(),
  note: z
    .array(z.looseObject({ text: str(5000) }))
    .max(20)
    .optional(),
  extension: z.array(extension).max(200).optional(),
});
export type FhirCondition = z.infer<typeof conditionShape>;

const attachment = z.looseObject({
  contentType: str(100).optional(),
  data: z
    .string()
    .max(5_000_000)
    .regex(/^[A-Za-z0-9+/=\s]*$/, 'Not base64')
    .optional(),
  title: str(500).optional(),
});
export const documentShape = z.looseObject({
  resourceType: z.literal('DocumentReference'),
  id: str(64).optional(),
  type: codeableConcept.optional(),
  description: str(500).optional(),
  date: dateTime.optional(),
  author: z.array(reference).max(20).optional(),
  authenticator: reference.optional(),
  relatesTo: z
    .array(z.looseObject({ code: str(20), target: reference }))
    .max(20)
    .optional(),
  content: z.array(z.looseObject({ attachment })).min(1).max(20),
  context: z.looseObject({ period: z.looseObject({ start: dateTime.optional() }).optional() }).optional(),
  extension: z.array(extension).max(200).optional(),
});
export type FhirDocument = z.infer<typeof documentShape>;

export const provenanceShape = z.looseObject({
  resourceType: z.literal('Provenance'),
  target: z.array(reference).max(100),
  signature: z
    .array(
      z.looseObject({
        when: dateTime,
        who: reference,
        extension: z.array(extension).max(20).optional(),
      }),
    )
    .max(20)
    .optional(),
});
export type FhirProvenance = z.infer<typeof provenanceShape>;

export const practitionerShape = z.looseObject({
  resourceType: z.literal('Practitioner'),
  id: str(64).optional(),
  name: z
    .array(
      z.looseObject({
        text: str(200).optional(),
        family: str(100).optional(),
        given: z.array(str(100)).max(5).optional(),
      }),
    )
    .max(10)
    .optional(),
  qualification: z
    .array(z.looseObject({ code: codeableConcept }))
    .max(20)
    .optional(),
});

export const questionnaireResponseShape = z.looseObject({
  resourceType: z.literal('QuestionnaireResponse'),
  id: str(64).optional(),
  questionnaire: str(500).optional(),
  authored: dateTime.optional(),
  item: z
    .array(
      z.looseObject({
        linkId: str(100),
        answer: z
          .array(z.looseObject({ valueCoding: coding.optional(), valueInteger: z.number().int().optional() }))
          .max(5)
          .optional(),
      }),
    )
    .max(200)
    .optional(),
});
export type FhirQuestionnaireResponse = z.infer<typeof questionnaireResponseShape>;

export const observationShape = z.looseObject({
  resourceType: z.literal('Observation'),
  id: str(64).optional(),
  code: codeableConcept,
  effectiveDateTime: dateTime.optional(),
  valueQuantity: z.looseObject({ value: z.number().optional() }).optional(),
  valueInteger: z.number().int().optional(),
  derivedFrom: z.array(reference).max(20).optional(),
  hasMember: z.array(reference).max(200).optional(),
});
export type FhirObservation = z.infer<typeof observationShape>;

export const carePlanShape = z.looseObject({
  resourceType: z.literal('CarePlan'),
  id: str(64).optional(),
  status: str(40).optional(),
  title: str(500).optional(),
  description: str(20_000).optional(),
  created: dateTime.optional(),
  text: z.looseObject({ div: z.string().max(1_000_000) }).optional(),
  goal: z.array(reference).max(200).optional(),
  replaces: z.array(reference).max(20).optional(),
});
export type FhirCarePlan = z.infer<typeof carePlanShape>;

export const goalShape = z.looseObject({
  resourceType: z.literal('Goal'),
  id: str(64).optional(),
  description: codeableConcept,
  lifecycleStatus: str(40).optional(),
});
export type FhirGoal = z.infer<typeof goalShape>;
