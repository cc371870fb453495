/**
 * The three ways a registry call fails, as Temporal `ApplicationFailure` types the workflow's retry
 * policy and the timeline can name. Only a refusal is final: the rest may pass if tried again.
 */
import { ApplicationFailure } from '@temporalio/common';

/**
 * - `RegistryUnavailable`: unreachable, no answer in time, 5xx, 408 or 429.
 * - `InquiryRefused`: any other 4xx; asking again with the same inquiry cannot help.
 * - `MalformedReply`: not JSON, truncated, wrong envelope or inquiry id, or an answer off its schema.
 */
export type RegistryFailureType = 'RegistryUnavailable' | 'InquiryRefused' | 'MalformedReply';

/** Whether Temporal should try again after this type of failure. */
export const isRetryable = (type: RegistryFailureType): boolean => type !== 'InquiryRefused';

/**
 * The failure to throw; `nextRetryDelayMs` replaces the policy's interval for retryable ones.
 * @example throw registryFailure('MalformedReply', 'addiction sent a malformed reply: not JSON', 5000)
 */
export function registryFailure(type: RegistryFailureType, message: string, nextRetryDelayMs?: number): ApplicationFailure {
  const retryable = isRetryable(type);
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable: !retryable,
    ...(retryable && nextRetryDelayMs !== undefined ? { nextRetryDelay: nextRetryDelayMs } : {}),
  });
}

/** The reason recorded on the inquiry for an operator: `MalformedReply: addiction sent …`. */
export function failureReason(error: unknown): string | undefined {
  if (!(error instanceof ApplicationFailure)) return undefined;
  return `${error.type ?? 'Error'}: ${error.message}`;
}
