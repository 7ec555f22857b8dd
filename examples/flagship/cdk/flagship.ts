// The flagship estate in AWS CDK v2 (TypeScript), for a line-by-line comparison with
// examples/flagship/src/lib.rs. Same resources: orders queue and dead-letter queue, approval
// topic, VPC, ALB with blue/green target groups, Fargate service, CodeDeploy blue/green group
// with a 5xx alarm, image repository, Docker build, and the pipeline that ships it; the same
// companion files (buildspec.yml, taskdef.json, appspec.yml) written beside the templates.
import * as fs from 'fs';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

const IMAGE = '$ECR_REPO_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION';

// The article's buildspec, plus imageDetail.json for <IMAGE1_NAME> and the role ARNs.
const buildspec = {
  version: '0.2',
  env: {
    variables: { NODE_ENV: 'production', AWS_DEFAULT_REGION: 'us-east-1' },
    'parameter-store': { DB_PASSWORD: '/myapp/prod/db-password' },
    'secrets-manager': { API_KEY: 'prod/myapp:api_key' },
  },
  phases: {
    install: { 'runtime-versions': { nodejs: '22' }, commands: ['echo "Installing dependencies..."', 'npm ci'] },
    pre_build: {
      commands: [
        'echo "Running tests..."',
        'npm test',
        'echo "Logging in to ECR..."',
        'aws ecr get-login-password --region $AWS_DEFAULT_REGION | docker login --username AWS --password-stdin $ECR_REPO_URI',
      ],
    },
    build: {
      commands: ['echo "Building Docker image..."', `docker build -t ${IMAGE} .`, `docker tag ${IMAGE} $ECR_REPO_URI:latest`],
    },
    post_build: {
      commands: [
        'echo "Pushing to ECR..."',
        `docker push ${IMAGE}`,
        'docker push $ECR_REPO_URI:latest',
        'echo "Writing image definitions file..."',
        `printf '[{"name":"myapp","imageUri":"%s"}]' ${IMAGE} > imagedefinitions.json`,
        `printf '{"ImageURI":"%s"}' ${IMAGE} > imageDetail.json`,
        'sed -i -e "s|<EXECUTION_ROLE_ARN>|$EXECUTION_ROLE_ARN|" -e "s|<TASK_ROLE_ARN>|$TASK_ROLE_ARN|" taskdef.json',
      ],
    },
  },
  artifacts: { files: ['imagedefinitions.json', 'imageDetail.json', 'appspec.yml', 'taskdef.json'] },
  cache: { paths: ['/root/.npm/**/*', 'node_modules/**/*'] },
};

// taskdef.json and appspec.yml, written by hand: CDK does not generate them.
const taskdef = {
  family: 'myapp',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  cpu: '512',
  memory: '1024',
  executionRoleArn: '<EXECUTION_ROLE_ARN>',
  taskRoleArn: '<TASK_ROLE_ARN>',
  containerDefinitions: [
    {
      name: 'myapp',
      image: '<IMAGE1_NAME>',
      essential: true,
      portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': '/ecs/myapp', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' },
      },
      environment: [{ name: 'NODE_ENV', value: 'production' }],
    },
  ],
};
const appspec = `version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: <TASK_DEFINITION>
        LoadBalancerInfo:
          ContainerName: myapp
          ContainerPort: 8080
        PlatformVersion: LATEST
`;

export class MyAppStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    this.templateOptions.description = 'myapp: image build, blue/green pipeline, Fargate service behind an ALB, orders queue';
    const connection = new cdk.CfnParameter(this, 'ConnectionArn', { description: 'CodeStar connection to GitHub' });
    const approver = new cdk.CfnParameter(this, 'ApproverEmail', {
      description: 'Email address that receives deployment approval requests',
      allowedPattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
      constraintDescription: 'must be an email address',
    });

    // Messaging: the orders queue, its dead-letter queue and the approval topic.
    const dlq = new sqs.Queue(this, 'DeadLetterQueue', { queueName: 'orders-dlq' });
    const orders = new sqs.Queue(this, 'OrdersQueue', {
      queueName: 'orders-queue',
      visibilityTimeout: cdk.Duration.seconds(300),
      retentionPeriod: cdk.Duration.days(14),
      deadLetterQueue: { queue: dlq, maxReceiveCount: 3 },
    });
    const approvals = new sns.Topic(this, 'ApprovalTopic', { displayName: 'Deployment approvals' });
    approvals.addSubscription(new subs.EmailSubscription(approver.valueAsString));

    // Network: two zones, the load balancer and its blue and green target groups.
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2 });
    const alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', { vpc, internetFacing: true });
    const targetGroup = (id: string) =>
      new elbv2.ApplicationTargetGroup(this, id, {
        vpc,
        port: 8080,
        protocol: elbv2.ApplicationProtocol.HTTP,
        targetType: elbv2.TargetType.IP,
        healthCheck: { path: '/health' },
      });
    const [blue, green] = [targetGroup('Blue'), targetGroup('Green')];
    const production = alb.addListener('ProductionListener', { port: 80, defaultTargetGroups: [blue] });
    const test = alb.addListener('TestListener', { port: 8080, protocol: elbv2.ApplicationProtocol.HTTP, defaultTargetGroups: [green] });
    const tasks = new ec2.SecurityGroup(this, 'TaskSecurityGroup', { vpc, description: 'myapp tasks' });
    tasks.connections.allowFrom(alb, ec2.Port.tcp(8080));

    // The image and the service that runs it; its tasks consume the orders.
    const repo = new ecr.Repository(this, 'Repository', {
      repositoryName: 'myapp',
      imageScanOnPush: true,
      lifecycleRules: [
        { rulePriority: 1, description: 'Expire untagged images', tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: cdk.Duration.days(1) },
        { rulePriority: 2, description: 'Keep last 10 images', tagStatus: ecr.TagStatus.TAGGED, tagPrefixList: ['v'], maxImageCount: 10 },
      ],
    });
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    const task = new ecs.FargateTaskDefinition(this, 'TaskDefinition', { family: 'myapp', cpu: 512, memoryLimitMiB: 1024 });
    const logGroup = new logs.LogGroup(this, 'LogGroup', { logGroupName: '/ecs/myapp', retention: logs.RetentionDays.ONE_MONTH });
    task.addContainer('myapp', {
      image: ecs.ContainerImage.fromEcrRepository(repo, 'latest'),
      portMappings: [{ containerPort: 8080 }],
      environment: { NODE_ENV: 'production' },
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'ecs' }),
    });
    orders.grantConsumeMessages(task.taskRole);
    approvals.grantPublish(task.taskRole);
    const service = new ecs.FargateService(this, 'Service', {
      cluster,
      taskDefinition: task,
      desiredCount: 2,
      securityGroups: [tasks],
      healthCheckGracePeriod: cdk.Duration.seconds(60),
      deploymentController: { type: ecs.DeploymentControllerType.CODE_DEPLOY },
    });
    service.attachToApplicationTargetGroup(blue);
    service.node.addDependency(production);

    // Blue/green: roll back on failure and when targets answer with 5xx errors.
    const errors = alb.metrics
      .httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: cdk.Duration.minutes(1), statistic: 'Sum' })
      .createAlarm(this, 'Target5xxAlarm', {
        threshold: 5,
        evaluationPeriods: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        alarmDescription: 'myapp targets answer with 5xx errors',
      });
    const group = new codedeploy.EcsDeploymentGroup(this, 'BlueGreen', {
      service,
      blueGreenDeploymentConfig: { blueTargetGroup: blue, greenTargetGroup: green, listener: production, testListener: test, terminationWaitTime: cdk.Duration.minutes(60) },
      deploymentConfig: codedeploy.EcsDeploymentConfig.ALL_AT_ONCE,
      alarms: [errors],
      autoRollback: { failedDeployment: true, deploymentInAlarm: true },
    });

    // Build and pipeline.
    const project = new codebuild.PipelineProject(this, 'DockerBuild', {
      buildSpec: codebuild.BuildSpec.fromSourceFilename('buildspec.yml'),
      environment: {
        buildImage: codebuild.LinuxBuildImage.AMAZON_LINUX_2_2023_5,
        computeType: codebuild.ComputeType.MEDIUM,
        privileged: true,
      },
      cache: codebuild.Cache.local(codebuild.LocalCacheMode.CUSTOM, codebuild.LocalCacheMode.DOCKER_LAYER),
      environmentVariables: {
        ECR_REPO_URI: { value: repo.repositoryUri },
        EXECUTION_ROLE_ARN: { value: task.obtainExecutionRole().roleArn },
        TASK_ROLE_ARN: { value: task.taskRole.roleArn },
      },
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

    const source = new codepipeline.Artifact('SourceOutput');
    const build = new codepipeline.Artifact('BuildOutput');
    const pipeline = new codepipeline.Pipeline(this, 'Pipeline', {
      pipelineName: 'myapp-pipeline',
      pipelineType: codepipeline.PipelineType.V2,
      stages: [
        {
          stageName: 'Source',
          actions: [new actions.CodeStarConnectionsSourceAction({
            actionName: 'GitHubSource', connectionArn: connection.valueAsString,
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
          actions: [new actions.CodeDeployEcsDeployAction({
            actionName: 'DeployECS',
            deploymentGroup: group,
            taskDefinitionTemplateFile: build.atPath('taskdef.json'),
            appSpecTemplateFile: build.atPath('appspec.yml'),
            containerImageInputs: [{ input: build, taskDefinitionPlaceholder: 'IMAGE1_NAME' }],
          })],
        },
      ],
    });
    pipeline.notifyOn('Notifications', approvals, {
      events: [
        codepipeline.PipelineNotificationEvents.PIPELINE_EXECUTION_FAILED,
        codepipeline.PipelineNotificationEvents.PIPELINE_EXECUTION_SUCCEEDED,
      ],
    });

    new cdk.CfnOutput(this, 'LoadBalancerUrl', { value: `http://${alb.loadBalancerDnsName}`, description: 'Production traffic' });
    new cdk.CfnOutput(this, 'OrdersQueueUrl', { value: orders.queueUrl, description: 'Where producers send orders' });
  }
}

const app = new cdk.App();
new MyAppStack(app, 'MyApp');
const out = app.synth().directory;
fs.writeFileSync(path.join(out, 'buildspec.yml'), JSON.stringify(buildspec, null, 2));
fs.writeFileSync(path.join(out, 'taskdef.json'), JSON.stringify(taskdef, null, 2));
fs.writeFileSync(path.join(out, 'appspec.yml'), appspec);
