using System;
using System.Reflection;
using Amazon.Runtime;

namespace AmiShare.Engine.Aws
{
    /// <summary>
    /// Turns what -Credential or $StoredAWSCredentials holds into SDK credentials: an AWSCredentials of this
    /// AWSSDK.Core, AWS.Tools' AWSPSCredentials (read by reflection), or any object with a public GetCredentials().
    /// </summary>
    internal static class CredentialObjects
    {
        private const string AwsCredentialsTypeName = "Amazon.Runtime.AWSCredentials";

        /// <summary>Turns a -Credential / $StoredAWSCredentials value into SDK credentials.</summary>
        internal static AWSCredentials FromCredentialObject(object value, string origin, bool required)
        {
            if (value is AWSCredentials direct)
            {
                return direct;
            }

            string typeName = value.GetType().FullName;
            if (string.Equals(typeName, AwsSessionResolver.AwsPSCredentialsTypeName, StringComparison.Ordinal))
            {
                object inner = ReadAwsPSCredentials(value);
                if (inner == null)
                {
                    if (!required)
                    {
                        return null;
                    }

                    throw InvalidCredentialObject(typeName, origin, "holds no credentials");
                }

                if (inner is AWSCredentials sameCore)
                {
                    return sameCore;
                }

                return (AWSCredentials)DuckTypedCredentials.TryCreate(inner)
                    ?? throw InvalidCredentialObject(typeName, origin, "holds credentials without a GetCredentials() method");
            }

            return (AWSCredentials)DuckTypedCredentials.TryCreate(value)
                ?? throw InvalidCredentialObject(typeName, origin, "is not an AWS credentials object (it has no public GetCredentials() method)");
        }

        /// <summary>Reads AWSPSCredentials.Credentials (internal in AWS.Tools) by reflection (aws-tools-compat.md §2.5).</summary>
        internal static object ReadAwsPSCredentials(object value)
        {
            const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
            Type type = value.GetType();
            PropertyInfo prop = type.GetProperty("Credentials", flags);
            if (prop == null)
            {
                foreach (PropertyInfo candidate in type.GetProperties(flags))
                {
                    if (TypeChainIncludes(candidate.PropertyType, AwsCredentialsTypeName))
                    {
                        prop = candidate;
                        break;
                    }
                }
            }

            if (prop == null || prop.GetIndexParameters().Length != 0)
            {
                return null;
            }

            return prop.GetValue(value);
        }

        private static bool TypeChainIncludes(Type type, string fullName)
        {
            for (Type t = type; t != null; t = t.BaseType)
            {
                if (string.Equals(t.FullName, fullName, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        private static AmiShareException InvalidCredentialObject(string typeName, string origin, string what) =>
            new AmiShareException(
                ErrorIds.InvalidCredentialObject,
                AmiShareErrorKind.InvalidArgument,
                $"The value of {origin}, of type '{typeName}', {what}.",
                typeName,
                "Pass an AWS credentials object (from New-AWSCredential or Get-AWSCredential), or use -ProfileName, or -AccessKey with -SecretKey.");
    }
}
