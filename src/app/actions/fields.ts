/** Body fields shared by the action schemas, with the limits a person can read in the error. */
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const UnitCode = z.string().trim().regex(/^[0-9A-Za-z-]{2,40}$/, 'must be a unit code');
export const Reason = text(500);
export const Note = text(2000);
export const Reply = text(5000);
export const Comment = text(500);
