using System;
using Amazon.Runtime;

namespace AmiShare.Engine.Aws
{
    /// <summary>The credential chain of <see cref="AwsSessionResolver"/> (aws-tools-compat.md §1.2): the checks on the credential parameters, then each source in AWS.Tools' order.</summary>
    public sealed partial class AwsSessionResolver
    {
        private static void ValidateCredentialParameters(SessionParameters p)
        {
            bool hasAccess = !string.IsNullOrWhiteSpace(p.AccessKey);
            bool hasSecret = !string.IsNullOrWhiteSpace(p.SecretKey);
            if (hasAccess != hasSecret)
            {
                throw new AmiShareException(
                    ErrorIds.ConflictingCredentialParameters,
                    AmiShareErrorKind.InvalidArgument,
                    hasAccess ? "-AccessKey was given without -SecretKey." : "-SecretKey was given without -AccessKey.",
                    hasAccess ? "AccessKey" : "SecretKey",
                    "Give -AccessKey and -SecretKey together (plus -SessionToken for temporary credentials), or use -ProfileName or -Credential instead.");
            }

            if (!hasAccess && !string.IsNullOrWhiteSpace(p.SessionToken))
            {
                throw new AmiShareException(
                    ErrorIds.ConflictingCredentialParameters,
                    AmiShareErrorKind.InvalidArgument,
                    "-SessionToken was given without -AccessKey and -SecretKey.",
                    "SessionToken",
                    "A session token belongs to temporary credentials: give -AccessKey, -SecretKey and -SessionToken together.");
            }

            if (!hasAccess && !string.IsNullOrWhiteSpace(p.ProfileName) && p.Credential != null)
            {
                throw new AmiShareException(
                    ErrorIds.ConflictingCredentialParameters,
                    AmiShareErrorKind.InvalidArgument,
                    $"Both -ProfileName '{p.ProfileName.Trim()}' and -Credential were given; AWS.Tools versions disagree about which wins.",
                    "Credential",
                    "Give only one of -ProfileName and -Credential.");
            }
        }

        private AWSCredentials ResolveCredentials(SessionParameters p, ProfileStores profiles, Action<string> debug, out string source)
        {
            // 1. Explicit keys.
            if (!string.IsNullOrWhiteSpace(p.AccessKey))
            {
                source = "the supplied key parameters";
                string token = string.IsNullOrWhiteSpace(p.SessionToken) ? null : p.SessionToken.Trim();
                return token == null
                    ? (AWSCredentials)new BasicAWSCredentials(p.AccessKey.Trim(), p.SecretKey.Trim())
                    : new SessionAWSCredentials(p.AccessKey.Trim(), p.SecretKey.Trim(), token);
            }

            // 2. -ProfileName: a missing profile stops here; falling through could pick another account's 'default'.
            if (!string.IsNullOrWhiteSpace(p.ProfileName))
            {
                string name = p.ProfileName.Trim();
                source = $"stored profile named '{name}'";
                return profiles.GetCredentialsOrThrow(name, "-ProfileName");
            }

            // 3. -Credential.
            if (p.Credential != null)
            {
                source = "supplied credentials object";
                return CredentialObjects.FromCredentialObject(p.Credential, "-Credential", true);
            }

            // 4. $StoredAWSCredentials, recognised by type name only (AWS.Tools checks `is AWSPSCredentials`).
            if (p.StoredCredentials != null)
            {
                string typeName = p.StoredCredentials.GetType().FullName;
                if (string.Equals(typeName, AwsPSCredentialsTypeName, StringComparison.Ordinal))
                {
                    AWSCredentials stored = CredentialObjects.FromCredentialObject(p.StoredCredentials, "$StoredAWSCredentials", false);
                    if (stored != null)
                    {
                        source = "shell variable $StoredAWSCredentials";
                        return stored;
                    }

                    debug("$StoredAWSCredentials holds no credentials; ignoring it");
                }
                else
                {
                    debug($"$StoredAWSCredentials holds a '{typeName}', not an AWS.Tools credentials object; ignoring it");
                }
            }

            // 5. Environment keys.
            string envAccess = Env("AWS_ACCESS_KEY_ID");
            string envSecret = Env("AWS_SECRET_ACCESS_KEY") ?? Env("AWS_SECRET_KEY");
            if (envAccess != null && envSecret != null)
            {
                source = "environment variables";
                string envToken = Env("AWS_SESSION_TOKEN");
                return envToken == null
                    ? (AWSCredentials)new BasicAWSCredentials(envAccess, envSecret)
                    : new SessionAWSCredentials(envAccess, envSecret, envToken);
            }

            if (envAccess != null || envSecret != null)
            {
                debug("Ignoring incomplete credential environment variables: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must both be set");
            }

            // 6. AWS_PROFILE: named explicitly, so a missing profile fails hard as -ProfileName does.
            string envProfile = Env("AWS_PROFILE");
            if (envProfile != null)
            {
                debug($"Using profile '{envProfile}' named by environment variable AWS_PROFILE");
                source = $"stored profile named '{envProfile}'";
                return profiles.GetCredentialsOrThrow(envProfile, "environment variable AWS_PROFILE");
            }

            // 7. 'default', then the legacy 'AWS PS Default'.
            foreach (string name in new[] { "default", LegacyDefaultProfileName })
            {
                AWSCredentials fromProfile = profiles.TryGetCredentials(name);
                if (fromProfile != null)
                {
                    source = $"stored profile named '{name}'";
                    return fromProfile;
                }
            }

            // 8. Web identity (EKS IRSA, GitHub OIDC set-ups).
            string tokenFile = Env("AWS_WEB_IDENTITY_TOKEN_FILE");
            string roleArn = Env("AWS_ROLE_ARN");
            if (tokenFile != null && roleArn != null)
            {
                source = "web identity token file";
                return AmbientCredentialsFactory != null
                    ? AmbientCredentialsFactory("webidentity")
                    : new AssumeRoleWithWebIdentityCredentials(tokenFile, roleArn, Env("AWS_ROLE_SESSION_NAME"));
            }

            // 9. Container (ECS / EKS Pod Identity).
            if (Env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") != null || Env("AWS_CONTAINER_CREDENTIALS_FULL_URI") != null)
            {
                source = "container environment";
                return AmbientCredentialsFactory != null ? AmbientCredentialsFactory("container") : new GenericContainerCredentials();
            }

            // 10. Instance profile: only now, and bounded, so nothing ever hangs off EC2.
            if (InstanceMetadataAllowed())
            {
                AWSCredentials imds = Bounded(() =>
                {
                    if (InstanceProfileCredentialsProvider != null)
                    {
                        return InstanceProfileCredentialsProvider();
                    }

                    var c = new InstanceProfileAWSCredentials();
                    c.GetCredentials();
                    return c;
                });
                if (imds != null)
                {
                    source = "instance profile";
                    return imds;
                }
            }

            throw new AmiShareException(
                ErrorIds.NoCredentials,
                AmiShareErrorKind.AuthenticationError,
                NoCredentialsMessage,
                null,
                "Pass -ProfileName, -AccessKey and -SecretKey, or -Credential; or run Set-AWSCredential; or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE); or create a 'default' profile with 'aws configure'.");
        }
    }
}
