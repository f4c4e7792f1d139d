/**
 * Known AWS IAM privilege-escalation paths, as data. Sources: Rhino Security Labs' "AWS IAM privilege
 * escalation methods" (the 21 originals), PMapper's edge checks and Cloudsplaining's
 * privilege-escalation list, plus SSM command/session execution.
 *
 * Each path needs ALL of its `requires` groups (within a group ANY action suffices), judged together
 * over the principal's effective permissions (so a path split over two policies is found). What the
 * path reaches depends on the resource its `target` action is allowed on; `target.kind` selects how
 * that is judged (see judge.ts), and `resourceNotes` says why, per path.
 */

export type TargetKind =
  /** Rewrite a customer-managed policy (CreatePolicyVersion / SetDefaultPolicyVersion). */
  | 'managed-policy'
  /** Obtain another IAM user's credentials (access key, console password). */
  | 'user-credentials'
  /** Put or attach a policy on an IAM user (the principal itself, when it is that user). */
  | 'user-policy'
  /** Put or attach a policy on a group (one the principal belongs to). */
  | 'group-policy'
  /** Join a more privileged group. */
  | 'group-membership'
  /** Put or attach a policy on a role, then act as that role (itself, or by sts:AssumeRole). */
  | 'role-policy'
  /** Rewrite a role's trust policy to let the principal assume it. */
  | 'role-trust'
  /** Pass a role to a service that runs attacker-controlled code with it. */
  | 'pass-role'
  /** Run code inside existing compute that already runs with a service role. */
  | 'service-compute'
  /** Assume a more privileged role whose trust policy already admits the principal (PMapper's core edge). */
  | 'assume-role';

export interface EscalationPath {
  id: string;
  title: string;
  /** All groups must be allowed; any one action of a group satisfies it (assume-role judges its own). */
  requires: string[][];
  target: {
    kind: TargetKind;
    /** The action whose allowed resources decide what the path reaches. */
    action: string;
    /** For pass-role / service-compute: the service principal the role must trust. */
    servicePrincipal?: string;
  };
  /** How the path is used, in one or two sentences. */
  description: string;
  /** How the target action's resource scope is judged for this path, and why. */
  resourceNotes: string;
  reference: string;
}

const RHINO = 'https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/';
const RHINO_2 = 'https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation-part-2/';
const PMAPPER = 'https://github.com/nccgroup/PMapper';
const CLOUDSPLAINING = 'https://github.com/salesforce/cloudsplaining';

type PathRow = [id: string, title: string, requires: string[][], target: EscalationPath['target'], description: string, reference: string];

/** A pass-role row: PassRole plus the service actions, judged by the roles trusting `service`. */
function passRole(id: string, title: string, actions: string[][], service: string, description: string, reference: string): PathRow {
  return [id, title, [['iam:PassRole'], ...actions], { kind: 'pass-role', action: 'iam:PassRole', servicePrincipal: service }, description, reference];
}

/** A row that runs code in compute that already has a role trusting `service`. */
function compute(id: string, title: string, actions: string[][], service: string, description: string, reference: string): PathRow {
  return [id, title, actions, { kind: 'service-compute', action: actions[0]![0]!, servicePrincipal: service }, description, reference];
}

const PASS_NOTES = (service: string) => `As ec2-passrole-run-instances, for roles trusting ${service}.`;
const COMPUTE_NOTES = (service: string) =>
  `On every resource the reach is the most privileged scanned role trusting ${service}; on named resources it is unknown (which role they run with is not collected).`;

/**
 * Code-running paths from Rhino Security Labs' part 2, PMapper's edge checkers and Cloudsplaining's
 * list that the first table did not hold: one row each, judged like their siblings.
 */
const ADDITIONAL_ROWS: readonly PathRow[] = [
  compute(
    'cloudformation-update-stack',
    'Rewrite an existing CloudFormation stack that runs with a service role',
    [['cloudformation:UpdateStack']],
    'cloudformation.amazonaws.com',
    "UpdateStack keeps the stack's service role: a new template creates whatever that role may create (users, keys, policies).",
    RHINO_2,
  ),
  compute(
    'cloudformation-change-set',
    'Create and execute a change set on a stack with a service role',
    [['cloudformation:CreateChangeSet'], ['cloudformation:ExecuteChangeSet']],
    'cloudformation.amazonaws.com',
    "A change set applies a new template with the stack's existing service role.",
    PMAPPER,
  ),
  passRole(
    'cloudformation-passrole-change-set',
    'Create a change set with a passed role',
    [['cloudformation:CreateChangeSet'], ['cloudformation:ExecuteChangeSet']],
    'cloudformation.amazonaws.com',
    'CreateChangeSet with a privileged role ARN, then ExecuteChangeSet, creates resources as that role.',
    PMAPPER,
  ),
  compute(
    'ec2-instance-connect-ssh',
    'Push an SSH key to instances with EC2 Instance Connect',
    [['ec2-instance-connect:SendSSHPublicKey', 'ec2-instance-connect:SendSerialConsoleSSHPublicKey']],
    'ec2.amazonaws.com',
    'SendSSHPublicKey installs a key for 60 seconds: a shell on the instance reads its instance-profile credentials.',
    PMAPPER,
  ),
  compute(
    'ec2-modify-user-data',
    'Replace the user data of a stopped instance',
    [['ec2:ModifyInstanceAttribute'], ['ec2:StopInstances'], ['ec2:StartInstances']],
    'ec2.amazonaws.com',
    'Stop, rewrite the user data, start: the script runs as root with the instance profile.',
    RHINO_2,
  ),
  compute(
    'ssm-create-association',
    'Run commands on instances through an SSM association',
    [['ssm:CreateAssociation']],
    'ec2.amazonaws.com',
    'An association runs a command document on managed instances, with their instance-profile credentials.',
    CLOUDSPLAINING,
  ),
  passRole(
    'ec2-passrole-instance-profile',
    'Attach a privileged instance profile to a running instance',
    [['ec2:AssociateIamInstanceProfile', 'ec2:ReplaceIamInstanceProfileAssociation']],
    'ec2.amazonaws.com',
    "Associates a privileged role's instance profile with an instance the principal controls.",
    PMAPPER,
  ),
  passRole(
    'autoscaling-passrole-launch-configuration',
    'Launch instances through Auto Scaling with a passed role',
    [['autoscaling:CreateLaunchConfiguration'], ['autoscaling:CreateAutoScalingGroup', 'autoscaling:UpdateAutoScalingGroup']],
    'ec2.amazonaws.com',
    'A launch configuration with a privileged instance profile and user data, then a group that launches it.',
    PMAPPER,
  ),
  passRole(
    'lambda-passrole-update-configuration',
    'Give an existing Lambda function a privileged role',
    [['lambda:UpdateFunctionConfiguration']],
    'lambda.amazonaws.com',
    'UpdateFunctionConfiguration swaps the execution role (and can add a layer that runs attacker code).',
    PMAPPER,
  ),
  compute(
    'lambda-update-function-configuration',
    'Add a layer to an existing Lambda function',
    [['lambda:UpdateFunctionConfiguration']],
    'lambda.amazonaws.com',
    'A layer or wrapper script added to a function runs with its execution role on the next invocation.',
    PMAPPER,
  ),
  passRole(
    'lambda-passrole-cross-account-invoke',
    'Create a Lambda function with a passed role and let another account invoke it',
    [['lambda:CreateFunction'], ['lambda:AddPermission']],
    'lambda.amazonaws.com',
    'AddPermission lets an account the attacker controls invoke the new function.',
    CLOUDSPLAINING,
  ),
  passRole(
    'sagemaker-passrole-processing-job',
    'Run a SageMaker processing job with a passed role',
    [['sagemaker:CreateProcessingJob']],
    'sagemaker.amazonaws.com',
    'A processing job runs an attacker-chosen container with the passed role.',
    PMAPPER,
  ),
  passRole(
    'sagemaker-passrole-tuning-job',
    'Run a SageMaker hyperparameter tuning job with a passed role',
    [['sagemaker:CreateHyperParameterTuningJob']],
    'sagemaker.amazonaws.com',
    'Tuning jobs run training containers with the passed role.',
    CLOUDSPLAINING,
  ),
  compute(
    'sagemaker-notebook-lifecycle',
    'Add a lifecycle script to an existing SageMaker notebook',
    [['sagemaker:CreateNotebookInstanceLifecycleConfig'], ['sagemaker:UpdateNotebookInstance']],
    'sagemaker.amazonaws.com',
    "A lifecycle configuration runs a script with the notebook's role when it starts.",
    RHINO_2,
  ),
  passRole(
    'codebuild-passrole-update-project',
    'Point an existing CodeBuild project at a passed role and start it',
    [['codebuild:UpdateProject'], ['codebuild:StartBuild', 'codebuild:StartBuildBatch']],
    'codebuild.amazonaws.com',
    'UpdateProject swaps the service role and buildspec; StartBuild runs them.',
    PMAPPER,
  ),
  compute(
    'codebuild-start-build-override',
    'Start an existing CodeBuild project with an overridden buildspec',
    [['codebuild:StartBuild', 'codebuild:StartBuildBatch']],
    'codebuild.amazonaws.com',
    "StartBuild accepts a buildspec override that runs with the project's service role.",
    PMAPPER,
  ),
  passRole(
    'codestar-passrole-create-project',
    'Create a CodeStar project with a passed role',
    [['codestar:CreateProject']],
    'codestar.amazonaws.com',
    "The project's CloudFormation template is created with the passed service role.",
    RHINO_2,
  ),
  passRole(
    'glue-passrole-job',
    'Create and run a Glue job with a passed role',
    [['glue:CreateJob', 'glue:UpdateJob'], ['glue:StartJobRun']],
    'glue.amazonaws.com',
    'A Glue job runs an attacker-chosen script with the passed role.',
    RHINO_2,
  ),
  passRole(
    'apprunner-passrole-create-service',
    'Create an App Runner service with a passed role',
    [['apprunner:CreateService']],
    'tasks.apprunner.amazonaws.com',
    'The service runs an attacker-chosen image with the passed instance role.',
    'https://pathfinding.cloud',
  ),
];

const CODE_RUNNING_ADDITIONS: EscalationPath[] = ADDITIONAL_ROWS.map(([id, title, requires, target, description, reference]) => ({
  id,
  title,
  requires,
  target,
  description,
  resourceNotes: target.kind === 'pass-role' ? PASS_NOTES(target.servicePrincipal!) : COMPUTE_NOTES(target.servicePrincipal!),
  reference,
}));

export const ESCALATION_PATHS: readonly EscalationPath[] = [
  {
    id: 'iam-create-policy-version',
    title: 'Create a new default version of a managed policy',
    requires: [['iam:CreatePolicyVersion']],
    target: { kind: 'managed-policy', action: 'iam:CreatePolicyVersion' },
    description: 'CreatePolicyVersion with --set-as-default rewrites a customer-managed policy to allow "*" on "*"; no SetDefaultPolicyVersion needed.',
    resourceNotes:
      "Admin when the policy ARN pattern covers a customer-managed policy attached to the principal (directly or through a group); on * without one attached it still rewrites everyone else's policies (escalation); on a specific other policy the gain is unknown.",
    reference: RHINO,
  },
  {
    id: 'iam-set-default-policy-version',
    title: 'Switch a managed policy to an older, more permissive version',
    requires: [['iam:SetDefaultPolicyVersion']],
    target: { kind: 'managed-policy', action: 'iam:SetDefaultPolicyVersion' },
    description: 'SetDefaultPolicyVersion activates any existing non-default version of a policy; old versions are often broader.',
    resourceNotes:
      'Only existing versions can be activated and the collector sees the default version only, so even a policy attached to the principal reaches an unknown set of privileges: escalation at most.',
    reference: RHINO,
  },
  {
    id: 'iam-create-access-key',
    title: 'Create an access key for another user',
    requires: [['iam:CreateAccessKey']],
    target: { kind: 'user-credentials', action: 'iam:CreateAccessKey' },
    description: "CreateAccessKey on another user yields that user's long-lived credentials.",
    resourceNotes:
      "Limited to the principal's own user (`user/${aws:username}`) it is self-service key rotation, not escalation. On other users it reaches their privileges: admin when an admin user is in scope.",
    reference: RHINO,
  },
  {
    id: 'iam-create-login-profile',
    title: 'Create a console password for another user',
    requires: [['iam:CreateLoginProfile']],
    target: { kind: 'user-credentials', action: 'iam:CreateLoginProfile' },
    description: 'CreateLoginProfile sets a console password on a user that has none, then signs in as that user.',
    resourceNotes: 'Same as iam-create-access-key: own user only is self-service; other users reach their privileges.',
    reference: RHINO,
  },
  {
    id: 'iam-update-login-profile',
    title: "Reset another user's console password",
    requires: [['iam:UpdateLoginProfile']],
    target: { kind: 'user-credentials', action: 'iam:UpdateLoginProfile' },
    description: 'UpdateLoginProfile changes an existing console password, then signs in as that user.',
    resourceNotes: 'Same as iam-create-access-key: own user only is self-service; other users reach their privileges.',
    reference: RHINO,
  },
  {
    id: 'iam-attach-user-policy',
    title: 'Attach a managed policy to a user',
    requires: [['iam:AttachUserPolicy']],
    target: { kind: 'user-policy', action: 'iam:AttachUserPolicy' },
    description: "AttachUserPolicy attaches AdministratorAccess to the principal's own user.",
    resourceNotes:
      "Admin when the resource covers the principal's own user; on * (other users) it grants others anything, which pays off with control of any of them (escalation); on a specific other user the gain is unknown.",
    reference: RHINO,
  },
  {
    id: 'iam-put-user-policy',
    title: 'Write an inline policy on a user',
    requires: [['iam:PutUserPolicy']],
    target: { kind: 'user-policy', action: 'iam:PutUserPolicy' },
    description: 'PutUserPolicy writes an inline "*" on "*" policy on the principal\'s own user.',
    resourceNotes: 'As iam-attach-user-policy.',
    reference: RHINO,
  },
  {
    id: 'iam-attach-group-policy',
    title: 'Attach a managed policy to a group',
    requires: [['iam:AttachGroupPolicy']],
    target: { kind: 'group-policy', action: 'iam:AttachGroupPolicy' },
    description: 'AttachGroupPolicy attaches AdministratorAccess to a group the principal is a member of.',
    resourceNotes:
      "Admin when the resource covers one of the principal's groups; on * without membership it empowers other groups (escalation); a specific other group is unknown.",
    reference: RHINO,
  },
  {
    id: 'iam-put-group-policy',
    title: 'Write an inline policy on a group',
    requires: [['iam:PutGroupPolicy']],
    target: { kind: 'group-policy', action: 'iam:PutGroupPolicy' },
    description: 'PutGroupPolicy writes an inline "*" on "*" policy on a group the principal is a member of.',
    resourceNotes: 'As iam-attach-group-policy.',
    reference: RHINO,
  },
  {
    id: 'iam-attach-role-policy',
    title: 'Attach a managed policy to a role, then use the role',
    requires: [['iam:AttachRolePolicy']],
    target: { kind: 'role-policy', action: 'iam:AttachRolePolicy' },
    description:
      "AttachRolePolicy attaches AdministratorAccess to the principal's own role, or to a role it can assume (sts:AssumeRole allowed and the role's trust policy admits it).",
    resourceNotes:
      'Admin on its own role; otherwise needs sts:AssumeRole on a role in scope whose trust policy admits the principal. With role data and no such role the path is latent.',
    reference: RHINO,
  },
  {
    id: 'iam-put-role-policy',
    title: 'Write an inline policy on a role, then use the role',
    requires: [['iam:PutRolePolicy']],
    target: { kind: 'role-policy', action: 'iam:PutRolePolicy' },
    description: 'PutRolePolicy writes an inline "*" on "*" policy on the principal\'s own role or on a role it can assume.',
    resourceNotes: 'As iam-attach-role-policy.',
    reference: RHINO,
  },
  {
    id: 'iam-add-user-to-group',
    title: 'Add a user to a more privileged group',
    requires: [['iam:AddUserToGroup']],
    target: { kind: 'group-membership', action: 'iam:AddUserToGroup' },
    description: "AddUserToGroup adds the principal's own user to a group with more privileges.",
    resourceNotes:
      "Reach is the most privileged group in scope that the principal is not already in, compared with the principal's own level (group privileges come from the scanned members' group policies).",
    reference: RHINO,
  },
  {
    id: 'iam-update-assume-role-policy',
    title: "Rewrite a role's trust policy, then assume it",
    requires: [['iam:UpdateAssumeRolePolicy']],
    target: { kind: 'role-trust', action: 'iam:UpdateAssumeRolePolicy' },
    description:
      "UpdateAssumeRolePolicy makes a role trust the principal by its ARN; a same-account trust naming the principal needs no sts:AssumeRole permission, so the rewrite alone yields the role's credentials.",
    resourceNotes:
      "Reach is the most privileged role the rewrite covers, compared with the principal's own level; for a principal of another account, sts:AssumeRole must also cover the role.",
    reference: RHINO,
  },
  {
    id: 'ec2-passrole-run-instances',
    title: 'Launch an EC2 instance with a passed role',
    requires: [['iam:PassRole'], ['ec2:RunInstances']],
    target: { kind: 'pass-role', action: 'iam:PassRole', servicePrincipal: 'ec2.amazonaws.com' },
    description: "RunInstances with an instance profile of a privileged role and user data that exfiltrates the role's credentials from the metadata service.",
    resourceNotes:
      'PassRole decides the reach: the most privileged scanned role in its resource scope that trusts ec2.amazonaws.com. An iam:PassedToService condition naming another service rules the path out; a specific low-privilege role is not an escalation.',
    reference: RHINO,
  },
  {
    id: 'lambda-passrole-invoke',
    title: 'Create and invoke a Lambda function with a passed role',
    requires: [['iam:PassRole'], ['lambda:CreateFunction'], ['lambda:InvokeFunction']],
    target: { kind: 'pass-role', action: 'iam:PassRole', servicePrincipal: 'lambda.amazonaws.com' },
    description: 'CreateFunction with a privileged execution role and code that acts with it, then InvokeFunction.',
    resourceNotes: 'As ec2-passrole-run-instances, for roles trusting lambda.amazonaws.com.',
    reference: RHINO,
  },
  {
    id: 'lambda-passrole-event-source',
    title: 'Create a Lambda function with a passed role, triggered by an event source',
    requires: [['iam:PassRole'], ['lambda:CreateFunction'], ['lambda:CreateEventSourceMapping']],
    target: { kind: 'pass-role', action: 'iam:PassRole', servicePrincipal: 'lambda.amazonaws.com' },
    description: 'Without InvokeFunction, an event source mapping (DynamoDB stream, SQS) runs the new function.',
    resourceNotes: 'As ec2-passrole-run-instances, for roles trusting lambda.amazonaws.com.',
    reference: RHINO,
  },
  {
    id: 'lambda-update-function-code',
    title: "Replace an existing Lambda function's code",
    requires: [['lambda:UpdateFunctionCode']],
    target: { kind: 'service-compute', action: 'lambda:UpdateFunctionCode', servicePrincipal: 'lambda.amazonaws.com' },
    description: "UpdateFunctionCode runs attacker code with the function's existing execution role.",
    resourceNotes:
      'On all functions the reach is the most privileged scanned role trusting lambda.amazonaws.com; on specific functions the role is unknown offline (function configuration is not collected).',
    reference: RHINO,
  },
  {
    id: 'glue-passrole-dev-endpoint',
    title: 'Create a Glue development endpoint with a passed role',
    requires: [['iam:PassRole'], ['glue:CreateDevEndpoint']],
    target: { kind: 'pass-role', action: 'iam:PassRole', servicePrincipal: 'glue.amazonaws.com' },
    description: 'CreateDevEndpoint with a privileged role and an SSH key, then read the role credentials on the endpoint.',
    resourceNotes: 'As ec2-passrole-run-instances, for roles trusting glue.amazonaws.com.',
    reference: RHINO,
  },
  {
    id: 'glue-update-dev-endpoint',
    title: 'Take over an existing Glue development endpoint',
    requires: [['glue:UpdateDevEndpoint']],
    target: { kind: 'service-compute', action: 'glue:UpdateDevEndpoint', servicePrincipal: 'glue.amazonaws.com' },
    description: "UpdateDevEndpoint adds the attacker's SSH key to an endpoint that runs with a role.",
    resourceNotes: 'As lambda-update-function-code, for roles trusting glue.amazonaws.com.',
    reference: RHINO,
  },
  {
    id: 'cloudformation-passrole-create-stack',
    title: 'Create a CloudFormation stack with a passed role',
    requires: [['iam:PassRole'], ['cloudformation:CreateStack']],
    target: { kind: 'pass-role', action: 'iam:PassRole', servicePrincipal: 'cloudformation.amazonaws.com' },
    description: 'CreateStack with a privileged service role creates any resource (users, keys, policies) the role may.',
    resourceNotes: 'As ec2-passrole-run-instances, for roles trusting cloudformation.amazonaws.com.',
    reference: RHINO,
  },
  {
    id: 'datapipeline-passrole-create-pipeline',
    title: 'Create a Data Pipeline that runs commands with a passed role',
    requires: [['iam:PassRole'], ['datapipeline:CreatePipeline'], ['datapipeline:PutPipelineDefinition']],
    target: { kind: 'pass-role', action: 'iam:PassRole', servicePrincipal: 'datapipeline.amazonaws.com' },
    description: 'A pipeline definition with a ShellCommandActivity runs commands on EC2 with the passed role.',
    resourceNotes:
      'As ec2-passrole-run-instances, for roles trusting datapipeline.amazonaws.com (the pipeline role; its resource role trusts ec2.amazonaws.com).',
    reference: RHINO,
  },
  {
    id: 'sagemaker-passrole-notebook',
    title: 'Create a SageMaker notebook with a passed role and open it',
    requires: [['iam:PassRole'], ['sagemaker:CreateNotebookInstance'], ['sagemaker:CreatePresignedNotebookInstanceUrl']],
    target: { kind: 'pass-role', action: 'iam:PassRole', servicePrincipal: 'sagemaker.amazonaws.com' },
    description: 'A notebook instance runs Jupyter with the passed role; a presigned URL opens a shell in it.',
    resourceNotes: 'As ec2-passrole-run-instances, for roles trusting sagemaker.amazonaws.com.',
    reference: 'https://github.com/nccgroup/PMapper',
  },
  {
    id: 'sagemaker-presigned-notebook-url',
    title: 'Open an existing SageMaker notebook',
    requires: [['sagemaker:CreatePresignedNotebookInstanceUrl']],
    target: { kind: 'service-compute', action: 'sagemaker:CreatePresignedNotebookInstanceUrl', servicePrincipal: 'sagemaker.amazonaws.com' },
    description: 'A presigned URL opens a Jupyter shell in an existing notebook, with its role.',
    resourceNotes: 'As lambda-update-function-code, for roles trusting sagemaker.amazonaws.com.',
    reference: 'https://github.com/salesforce/cloudsplaining',
  },
  {
    id: 'sagemaker-passrole-training-job',
    title: 'Run a SageMaker training job with a passed role',
    requires: [['iam:PassRole'], ['sagemaker:CreateTrainingJob']],
    target: { kind: 'pass-role', action: 'iam:PassRole', servicePrincipal: 'sagemaker.amazonaws.com' },
    description: 'A training job runs an attacker-chosen container with the passed role.',
    resourceNotes: 'As ec2-passrole-run-instances, for roles trusting sagemaker.amazonaws.com.',
    reference: 'https://github.com/salesforce/cloudsplaining',
  },
  {
    id: 'codebuild-passrole-project',
    title: 'Create and start a CodeBuild project with a passed role',
    requires: [['iam:PassRole'], ['codebuild:CreateProject'], ['codebuild:StartBuild', 'codebuild:StartBuildBatch']],
    target: { kind: 'pass-role', action: 'iam:PassRole', servicePrincipal: 'codebuild.amazonaws.com' },
    description: "A build project's buildspec runs commands with the passed service role.",
    resourceNotes: 'As ec2-passrole-run-instances, for roles trusting codebuild.amazonaws.com.',
    reference: 'https://github.com/nccgroup/PMapper',
  },
  {
    id: 'ecs-passrole-run-task',
    title: 'Register and run an ECS task with a passed role',
    requires: [['iam:PassRole'], ['ecs:RegisterTaskDefinition'], ['ecs:RunTask', 'ecs:StartTask', 'ecs:CreateService', 'ecs:UpdateService']],
    target: { kind: 'pass-role', action: 'iam:PassRole', servicePrincipal: 'ecs-tasks.amazonaws.com' },
    description: 'A task definition with a privileged task role and an attacker-chosen container, then RunTask.',
    resourceNotes: 'As ec2-passrole-run-instances, for roles trusting ecs-tasks.amazonaws.com.',
    reference: 'https://github.com/nccgroup/PMapper',
  },
  {
    id: 'ssm-send-command',
    title: 'Run commands on EC2 instances through SSM',
    requires: [['ssm:SendCommand']],
    target: { kind: 'service-compute', action: 'ssm:SendCommand', servicePrincipal: 'ec2.amazonaws.com' },
    description: 'SendCommand runs shell commands on managed instances, which can read their instance-profile credentials.',
    resourceNotes:
      'On all instances the reach is the most privileged scanned role trusting ec2.amazonaws.com; on specific instances it is unknown (instance profiles are not mapped to instances offline).',
    reference: 'https://github.com/nccgroup/PMapper',
  },
  {
    id: 'ssm-start-session',
    title: 'Open a shell on EC2 instances through SSM Session Manager',
    requires: [['ssm:StartSession']],
    target: { kind: 'service-compute', action: 'ssm:StartSession', servicePrincipal: 'ec2.amazonaws.com' },
    description: 'StartSession opens an interactive shell on a managed instance, with its instance-profile credentials.',
    resourceNotes: 'As ssm-send-command.',
    reference: 'https://github.com/nccgroup/PMapper',
  },
  ...CODE_RUNNING_ADDITIONS,
  {
    id: 'sts-assume-more-privileged-role',
    title: 'Assume a more privileged role that already trusts the principal',
    requires: [],
    target: { kind: 'assume-role', action: 'sts:AssumeRole' },
    description:
      "A role whose trust policy admits the principal (by its ARN, or its whole account when the principal's own policy allows sts:AssumeRole on the role) hands out its privileges: no policy change needed.",
    resourceNotes:
      "Reported only when a scanned role, in any scanned account, is more privileged than the principal and assumable: a same-account trust naming the principal's ARN needs no identity permission; an account-wide (`:root`) trust, or any cross-account trust, needs sts:AssumeRole on that role in the principal's policies.",
    reference: 'https://github.com/nccgroup/PMapper',
  },
];

/** Every action any path mentions (plus sts:AssumeRole, which role-policy paths need). */
export const ESCALATION_ACTIONS: readonly string[] = [...new Set([...ESCALATION_PATHS.flatMap((p) => p.requires.flat()), 'sts:AssumeRole'])];
