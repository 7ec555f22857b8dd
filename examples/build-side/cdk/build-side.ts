// The build side of the estate in AWS CDK v2 (TypeScript), for a line-count comparison with
// examples/build-side/src/lib.rs. Same resources: ECR repository with its lifecycle rules,
// CodeBuild project with the article's environment and buildspec, and the pipeline
// GitHub (CodeStar connection) -> Build -> manual approval (SNS) -> ECS deploy.
import * as cdk from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export class BuildSideStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);

    const repo = new ecr.Repository(this, 'Repository', {
      repositoryName: 'myapp',
      imageScanOnPush: true,
      lifecycleRules: [
        { rulePriority: 1, description: 'Expire untagged images', tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: cdk.Duration.days(1) },
        { rulePriority: 2, description: 'Keep last 10 images', tagStatus: ecr.TagStatus.TAGGED, tagPrefixList: ['v'], maxImageCount: 10 },
      ],
    });

    const project = new codebuild.PipelineProject(this, 'Build', {
      environment: {
        buildImage: codebuild.LinuxBuildImage.AMAZON_LINUX_2_5,
        computeType: codebuild.ComputeType.MEDIUM,
        privileged: true,
      },
      environmentVariables: {
        ECR_REPO_URI: { value: repo.repositoryUri, type: codebuild.BuildEnvironmentVariableType.PLAINTEXT },
      },
      buildSpec: codebuild.BuildSpec.fromObject({
        version: '0.2',
        env: {
          variables: { NODE_ENV: 'production', AWS_DEFAULT_REGION: 'us-east-1' },
          'parameter-store': { DB_PASSWORD: '/myapp/prod/db-password' },
          'secrets-manager': { API_KEY: 'prod/myapp:api_key' },
        },
        phases: {
          install: { 'runtime-versions': { nodejs: 18 }, commands: ['echo "Installing dependencies..."', 'npm ci'] },
          pre_build: {
            commands: [
              'echo "Running tests..."',
              'npm test',
              'echo "Logging in to ECR..."',
              'aws ecr get-login-password --region $AWS_DEFAULT_REGION | docker login --username AWS --password-stdin $ECR_REPO_URI',
            ],
          },
          build: {
            commands: [
              'echo "Building Docker image..."',
              'docker build -t $ECR_REPO_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION .',
              'docker tag $ECR_REPO_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION $ECR_REPO_URI:latest',
            ],
          },
          post_build: {
            commands: [
              'echo "Pushing to ECR..."',
              'docker push $ECR_REPO_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION',
              'docker push $ECR_REPO_URI:latest',
              'echo "Writing image definitions file..."',
              `printf '[{"name":"myapp","imageUri":"%s"}]' $ECR_REPO_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION > imagedefinitions.json`,
            ],
          },
        },
        artifacts: { files: ['imagedefinitions.json', 'appspec.yml', 'taskdef.json'] },
        cache: { paths: ['/root/.npm/**/*', 'node_modules/**/*'] },
      }),
    });
    repo.grantPullPush(project);
    project.addToRolePolicy(new cdk.aws_iam.PolicyStatement({
      actions: ['ssm:GetParameters'],
      resources: [`arn:${this.partition}:ssm:${this.region}:${this.account}:parameter/myapp/prod/db-password`],
    }));
    project.addToRolePolicy(new cdk.aws_iam.PolicyStatement({
      actions: ['secretsmanager:GetSecretValue'],
      resources: [`arn:${this.partition}:secretsmanager:${this.region}:${this.account}:secret:prod/myapp-*`],
    }));

    const approvals = new sns.Topic(this, 'ApprovalTopic', { enforceSSL: true });
    approvals.addSubscription(new subs.EmailSubscription('approvers@example.com'));

    const cluster = ecs.Cluster.fromClusterAttributes(this, 'Cluster', {
      clusterName: 'prod',
      vpc: ec2.Vpc.fromLookup(this, 'Vpc', { isDefault: true }),
    });
    const service = ecs.FargateService.fromFargateServiceAttributes(this, 'Service', {
      cluster,
      serviceName: 'myapp',
    });

    const source = new codepipeline.Artifact('SourceOutput');
    const build = new codepipeline.Artifact('BuildOutput');
    new codepipeline.Pipeline(this, 'Pipeline', {
      pipelineName: 'myapp-pipeline',
      pipelineType: codepipeline.PipelineType.V2,
      stages: [
        {
          stageName: 'Source',
          actions: [new actions.CodeStarConnectionsSourceAction({
            actionName: 'GitHubSource',
            connectionArn: 'arn:aws:codeconnections:us-east-1:123456789012:connection/abc',
            owner: 'my-org', repo: 'my-app', branch: 'main', output: source,
          })],
        },
        {
          stageName: 'Build',
          actions: [new actions.CodeBuildAction({ actionName: 'DockerBuild', project, input: source, outputs: [build] })],
        },
        {
          stageName: 'ApproveStaging',
          actions: [new actions.ManualApprovalAction({ actionName: 'ManualApproval', notificationTopic: approvals })],
        },
        {
          stageName: 'DeployProduction',
          actions: [new actions.EcsDeployAction({ actionName: 'DeployECS', service, input: build })],
        },
      ],
    });
  }
}

const app = new cdk.App();
new BuildSideStack(app, 'BuildSide', { env: { account: '123456789012', region: 'us-east-1' } });
