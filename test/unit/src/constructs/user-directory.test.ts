import { Match, type Template } from 'aws-cdk-lib/assertions';
import { exampleMeteringStage, type exampleStage, templateOf } from '../../../helpers/cdk';

function data(name: string, overrides: Parameters<typeof exampleStage>[1] = {}): Template {
  return templateOf(exampleMeteringStage(name, overrides).data);
}

const pool = (t: Template) => {
  const found = Object.values(t.findResources('AWS::Cognito::UserPool'));
  expect(found).toHaveLength(1);
  return found[0];
};

describe('UserDirectory', () => {
  let dev: Template;
  let prod: Template;
  let openDev: Template;
  beforeAll(() => {
    dev = data('dev');
    prod = data('prod');
    openDev = data('dev', { cognito: { selfSignUp: true } });
  });

  it('uses the email as username, immutable, with a strong password policy', () => {
    expect(pool(dev)?.Properties).toMatchObject({
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      Schema: expect.arrayContaining([expect.objectContaining({ Name: 'email', Mutable: false, Required: true })]),
      Policies: {
        PasswordPolicy: expect.objectContaining({
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
  });

  it('allows self sign-up only when config turns it on', () => {
    expect(pool(dev)?.Properties.AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: true });
    expect(pool(openDev)?.Properties.AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: false });
  });

  it('runs the email check before every sign-up', () => {
    expect(pool(dev)?.Properties.LambdaConfig).toEqual({ PreSignUp: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } });
    dev.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'cognito-idp.amazonaws.com',
      Action: 'lambda:InvokeFunction',
    });
  });

  it('has a public client with the password, admin-password and SRP flows', () => {
    dev.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayEquals([
        'ALLOW_USER_PASSWORD_AUTH',
        'ALLOW_ADMIN_USER_PASSWORD_AUTH',
        'ALLOW_USER_SRP_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
      ]),
      PreventUserExistenceErrors: 'ENABLED',
    });
  });

  it('protects and retains the pool where config keeps data, and deletes it in a throw-away env', () => {
    expect(pool(prod)).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: expect.objectContaining({ DeletionProtection: 'ACTIVE' }),
    });
    expect(pool(dev)).toMatchObject({
      DeletionPolicy: 'Delete',
      Properties: expect.objectContaining({ DeletionProtection: 'INACTIVE' }),
    });
  });
});
