import { useEffect, useState } from 'react';
import { api } from '../api/casebookApi.js';
import type { StaffMember } from '../api/types.js';

/** Staff of the practice (for clinician pickers); empty when the role may not list staff. */
export function useStaff(enabled = true): {
  staff: StaffMember[];
  clinicians: StaffMember[];
  loaded: boolean;
} {
  const [staff, setStaff] = useState<StaffMember[]>([]);
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    if (!enabled) return undefined;
    let live = true;
    api
      .listStaff()
      .then((r) => live && setStaff(r.items))
      .catch(() => undefined)
      .finally(() => live && setLoaded(true));
    return () => {
      live = false;
    };
  }, [enabled]);
  const clinicians = staff.filter(
    (s) => s.active && s.roles.some((r) => r === 'clinician' || r === 'supervisor'),
  );
  return { staff, clinicians, loaded };
}
