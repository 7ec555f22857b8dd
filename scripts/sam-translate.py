#!/usr/bin/env python3
"""Expands a SAM template with the pinned aws-sam-translator, offline.

Usage: sam-translate.py IN OUT

Reads IN (JSON or YAML with short-form tags, through cfn-lint's decoder), runs the SAM
transform as CloudFormation would, and writes the plain CloudFormation result to OUT as JSON,
so cfn-lint can check what CloudFormation will actually create. Managed policies are
resolved from a fixed map instead of an IAM call: this runs without AWS credentials.
Exits 1 with the translator's messages when the transform rejects the template.
"""
import json
import logging
import os
import sys

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
# The translator logs feature-toggle notes that say nothing about the template.
logging.getLogger("samtranslator").setLevel(logging.ERROR)

from cfnlint.decode import decode  # noqa: E402
from samtranslator.parser import parser  # noqa: E402
from samtranslator.public.exceptions import InvalidDocumentException  # noqa: E402
from samtranslator.translator.translator import Translator  # noqa: E402

# The managed policies SAM attaches by name; ARNs are the same in every account.
MANAGED_POLICIES = {
    "AWSLambdaBasicExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "AWSLambdaRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaRole",
    "AWSXrayWriteOnlyAccess": "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
    "AWSXRayDaemonWriteAccess": "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
    "AWSCodeDeployRoleForLambda": "arn:aws:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda",
    "AWSCodeDeployRoleForLambdaLimited": "arn:aws:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited",
    "AWSLambdaVPCAccessExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
    "AWSLambdaSQSQueueExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
}


# Properties that name local artifacts `sam package` would upload; the transform wants S3.
LOCAL_ARTIFACTS = {
    "AWS::Serverless::Function": "CodeUri",
    "AWS::Serverless::LayerVersion": "ContentUri",
    "AWS::Serverless::Api": "DefinitionUri",
    "AWS::Serverless::HttpApi": "DefinitionUri",
    "AWS::Serverless::StateMachine": "DefinitionUri",
}


def stand_in_for_local_artifacts(template) -> None:
    """Points local paths (`src/`) at a stand-in S3 location, as `sam package` would."""
    for resource in (template.get("Resources") or {}).values():
        key = LOCAL_ARTIFACTS.get(resource.get("Type")) if isinstance(resource, dict) else None
        props = resource.get("Properties") if key else None
        if isinstance(props, dict) and isinstance(props.get(key), str) and not props[key].startswith("s3://"):
            props[key] = "s3://stand-in-bucket/" + props[key].strip("/")


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    source, target = sys.argv[1], sys.argv[2]
    template, problems = decode(source)
    if problems or template is None:
        for p in problems or []:
            print(f"{source}: {p}", file=sys.stderr)
        return 1
    stand_in_for_local_artifacts(template)
    translator = Translator(managed_policy_map=MANAGED_POLICIES, sam_parser=parser.Parser())
    try:
        output = translator.translate(sam_template=template, parameter_values={})
    except InvalidDocumentException as e:
        for cause in e.causes:
            print(f"{source}: SAM transform: {cause.message}", file=sys.stderr)
        return 1
    with open(target, "w", encoding="utf-8") as f:
        json.dump(output, f, indent=2, sort_keys=False)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
