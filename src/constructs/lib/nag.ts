import { Stack, Validations } from 'aws-cdk-lib';
// cdk-nag's own flattening, so an acknowledged id is exactly the finding's id. A deep import:
// an upgrade that moves it fails synth loudly (unacknowledged findings), never silently.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges the cdk-nag IAM5 finding for one wildcard resource of the
 * policy `scope`, with a reason a reviewer can check.
 *
 * The finding id embeds the resource as cdk-nag renders it. For a bucket of
 * the data stack that is its cross-stack form, which exists only once
 * references are resolved, so the acknowledgement is made at validation time
 * (after references, before cdk-nag) rather than at construction.
 */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  scope.node.addValidation({
    validate: () => {
      const flat = flattenCfnReference(Stack.of(scope).resolve(resource));
      Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
      return [];
    },
  });
}
