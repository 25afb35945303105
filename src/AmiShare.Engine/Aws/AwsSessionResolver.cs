using System;

namespace AmiShare.Engine.Aws
{
    /// <summary>
    /// Resolves credentials and region in AWS.Tools' order (aws-tools-compat.md §1.2, §1.3, §6).
    /// Throws <see cref="AmiShareException"/> with ErrorIds NoCredentials / NoRegion / ProfileNotFound /
    /// InvalidRegion / InvalidEndpointUrl / InvalidCredentialObject / ConflictingCredentialParameters.
    /// </summary>
    public sealed class AwsSessionResolver
    {
        private readonly IEnvironment _environment;

        public AwsSessionResolver(IEnvironment environment)
        {
            _environment = environment ?? ProcessEnvironment.Instance;
        }

        /// <summary>Resolves a session; <paramref name="debug"/> receives the AWS.Tools-worded source lines.</summary>
        public AwsSession Resolve(SessionParameters parameters, Action<string> debug)
            => throw new NotImplementedException();
    }
}
