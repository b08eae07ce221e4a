// `edge:` — a managed layer in front of the app that cannot run here (src/edge/profiles.ts),
// emulated on the host. Each profile takes its limit under the name the layer itself gives it:
// ALB's `idleTimeout`, everyone else's `timeout`; the other name is refused with the right one.
import { z } from 'zod';
import { EDGE_PROFILES, type EdgeSpec, edgeProfiles } from '../edge/profiles.js';
import { expected, noIssues, positiveDuration } from './fields.js';
import { compact } from './schema-stack.js';

const PROFILE_EXPECTED = `one of ${EDGE_PROFILES.join(', ')}`;

export const edgeSchema = z
  .strictObject({
    profile: z.enum(EDGE_PROFILES, { error: expected(PROFILE_EXPECTED) }).meta({
      description: 'The managed layer emulated in front of the app: aws-alb, heroku, cloudflare, gcp-lb',
    }),
    idleTimeout: positiveDuration()
      .optional()
      .meta({ description: 'aws-alb only: its idle timeout (default 60s)' }),
    timeout: positiveDuration().optional().meta({
      description:
        'heroku (first byte, default 30s), cloudflare (first byte, 100s), gcp-lb (whole response, 30s)',
    }),
  })
  .superRefine((e, ctx) => {
    const field = edgeProfiles[e.profile].field;
    const other = field === 'timeout' ? 'idleTimeout' : 'timeout';
    if (e[other] !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: [other],
        message: `${e.profile} has no ${other}: its limit is edge.${field} (rename the field)`,
      });
  }, noIssues)
  .transform((e): EdgeSpec => compact({ profile: e.profile, timeoutMs: e.idleTimeout ?? e.timeout }))
  .meta({
    description: 'A managed layer in front of the app (load balancer, router, CDN), emulated on this machine',
  });
