import type { Modality, ServiceType } from './cptTimeRule.js';

// Short plain-English names for pick lists and calendar entries. They say what kind of session
// it is and nothing about the client, so they are safe in a phone's calendar.

/** The short label of each service type ("Individual", "Group"). */
export const SERVICE_TYPE_LABELS: Readonly<Record<ServiceType, string>> = {
  intake_assessment: 'Intake assessment',
  individual: 'Individual',
  couples: 'Couples',
  family_with_client: 'Family (client present)',
  family_without_client: 'Family (client not present)',
  group: 'Group',
  crisis: 'Crisis',
  collateral_contact: 'Collateral contact',
  phone_checkin: 'Phone check-in',
};

/** The label of each way a session is held. */
export const MODALITY_LABELS: Readonly<Record<Modality, string>> = {
  in_person: 'In person',
  video: 'Video',
  phone: 'Phone',
};
