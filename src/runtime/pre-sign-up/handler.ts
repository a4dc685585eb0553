import type { PreSignUpTriggerEvent } from 'aws-lambda';
import { emailRejection } from './email';

/**
 * Cognito pre-sign-up trigger (self sign-up and AdminCreateUser alike): rejects
 * any email that would need escaping inside the access log's quoted `username`
 * field. The pool makes `email` immutable, so the check made here holds for the
 * life of the user.
 */
export const handler = async (event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent> => {
  const reason = emailRejection(event.request.userAttributes.email);
  // Cognito returns the message to the caller as UserLambdaValidationException.
  if (reason) throw new Error(reason);
  return event;
};
