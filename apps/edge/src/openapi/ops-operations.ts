import {
  correlationIdSchema,
  deadLetterResponseSchema,
  deadLetterSeqSchema,
  journeyResponseSchema,
  listDeadLettersQuerySchema,
  listDeadLettersResponseSchema,
  opsStatusResponseSchema,
  retryDeadLetterResponseSchema,
} from '@tonearm/contracts';
import type { Operation } from './openapi-document.ts';

/** The operator calls (admin role only), with the contracts' schemas of their input and answer. */
export const opsOperations: readonly Operation[] = [
  {
    method: 'get',
    path: '/api/ops/status',
    summary: 'Admins: services, instances and health; streams and consumers with their lag; dead letters',
    auth: 'bearer',
    status: 200,
    response: opsStatusResponseSchema,
  },
  {
    method: 'get',
    path: '/api/ops/dead-letters',
    summary: 'Admins: dead letters, newest first',
    auth: 'bearer',
    params: listDeadLettersQuerySchema,
    status: 200,
    response: listDeadLettersResponseSchema,
  },
  {
    method: 'get',
    path: '/api/ops/dead-letters/{seq}',
    summary: 'Admins: one dead letter with its original message and last error',
    auth: 'bearer',
    params: deadLetterSeqSchema,
    status: 200,
    response: deadLetterResponseSchema,
  },
  {
    method: 'post',
    path: '/api/ops/dead-letters/{seq}/retry',
    summary: 'Admins: put the original message back on its subject, then remove the dead letter',
    auth: 'bearer',
    params: deadLetterSeqSchema,
    status: 200,
    response: retryDeadLetterResponseSchema,
  },
  {
    method: 'delete',
    path: '/api/ops/dead-letters/{seq}',
    summary: 'Admins: remove a dead letter for good',
    auth: 'bearer',
    params: deadLetterSeqSchema,
    status: 204,
  },
  {
    method: 'get',
    path: '/api/ops/journey/{correlationId}',
    summary: 'Admins: every stored event of one correlation id (one upload through every service), oldest first',
    auth: 'bearer',
    params: correlationIdSchema,
    status: 200,
    response: journeyResponseSchema,
  },
];
