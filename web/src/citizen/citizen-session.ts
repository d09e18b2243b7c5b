/**
 * The citizen's short-lived access token per tracking number (handed out at submission and on
 * each tracking look-up, 30 minutes), kept in this tab only, so the next step needs no retyping.
 */
const key = (no: string) => `suqiu.citizen.${no.toUpperCase()}`;

export function saveAccess(trackingNo: string, token: string, expiresAt: string) {
  try {
    sessionStorage.setItem(key(trackingNo), JSON.stringify({ token, expiresAt }));
  } catch { /* private mode: the citizen types the phone again */ }
}

export function loadAccess(trackingNo: string): { token: string; expiresAt: string } | null {
  try {
    const v = JSON.parse(sessionStorage.getItem(key(trackingNo)) ?? 'null') as { token: string; expiresAt: string } | null;
    return v && Date.parse(v.expiresAt) > Date.now() + 30_000 ? v : null;
  } catch {
    return null;
  }
}

export function forgetAccess(trackingNo: string) {
  try {
    sessionStorage.removeItem(key(trackingNo));
  } catch { /* nothing kept */ }
}
