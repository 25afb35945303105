using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;

namespace AmiShare.Engine.Aws
{
    /// <summary>The profile stores AWS.Tools searches: only -ProfileLocation when given, else the SDK store (Windows) and ~/.aws.</summary>
    internal sealed class ProfileStores
    {
        private readonly List<ICredentialProfileSource> _stores = new List<ICredentialProfileSource>();

        public ProfileStores(string profileLocation, IEnvironment environment)
        {
            if (!string.IsNullOrWhiteSpace(profileLocation))
            {
                string path = profileLocation.Trim();
                Description = $"'{path}'";
                _stores.Add(Open(path));
                return;
            }

            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                try
                {
                    _stores.Add(new NetSDKCredentialsFile());
                }
                catch (Exception)
                {
                    // The encrypted SDK store is optional.
                }
            }

            string file = environment.GetVariable("AWS_SHARED_CREDENTIALS_FILE");
            if (string.IsNullOrWhiteSpace(file))
            {
                string home = environment.HomeDirectory;
                file = string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".aws", "credentials");
            }

            Description = file == null ? "the shared credentials files" : $"'{file}' and the config file beside it";
            if (file != null)
            {
                // SharedCredentialsFile(path) also reads the 'config' file in the same folder.
                _stores.Add(Open(file.Trim()));
            }
        }

        public string Description { get; }

        public AWSCredentials TryGetCredentials(string name)
        {
            foreach (var store in _stores)
            {
                if (store.TryGetProfile(name, out CredentialProfile profile)
                    && AWSCredentialsFactory.TryGetAWSCredentials(profile, store, out AWSCredentials credentials))
                {
                    return credentials;
                }
            }

            return null;
        }

        public AWSCredentials GetCredentialsOrThrow(string name, string origin)
        {
            bool found = false;
            foreach (var store in _stores)
            {
                if (store.TryGetProfile(name, out CredentialProfile profile))
                {
                    found = true;
                    if (AWSCredentialsFactory.TryGetAWSCredentials(profile, store, out AWSCredentials credentials))
                    {
                        return credentials;
                    }
                }
            }

            string message = found
                ? $"The profile '{name}' (from {origin}) was found in {Description} but holds no usable credentials."
                : $"The profile '{name}' (from {origin}) was not found in {Description}.";
            throw new AmiShareException(
                ErrorIds.ProfileNotFound,
                AmiShareErrorKind.ObjectNotFound,
                message,
                name,
                "Check the name (Get-AWSCredential -ListProfileDetail lists them), pass -ProfileLocation for a file elsewhere, or create it with Set-AWSCredential -StoreAs or 'aws configure --profile'. AmiShare does not fall back to another profile, which could belong to a different account.");
        }

        public string TryGetRegion(string name)
        {
            foreach (var store in _stores)
            {
                if (store.TryGetProfile(name, out CredentialProfile profile) && profile.Region != null)
                {
                    return profile.Region.SystemName;
                }
            }

            return null;
        }

        private static SharedCredentialsFile Open(string path)
        {
            try
            {
                return new SharedCredentialsFile(path);
            }
            catch (Exception e)
            {
                throw new AmiShareException(
                    ErrorIds.ProfileNotFound,
                    AmiShareErrorKind.ObjectNotFound,
                    $"The shared credentials file '{path}' could not be read: {e.Message}",
                    path,
                    "Fix or remove the file, or pass -ProfileLocation with the path of a valid credentials file.",
                    e);
            }
        }
    }
}
