using System;
using System.Reflection;
using Amazon.Runtime;

namespace AmiShare.Engine.Aws
{
    /// <summary>
    /// Wraps a credentials object from another copy of AWSSDK.Core (e.g. the one AWS.Tools loaded) or any
    /// object with a public <c>GetCredentials()</c> whose result has AccessKey / SecretKey / Token.
    /// <c>GetCredentials()</c> is called for every request, so refreshing credentials (assume-role, SSO,
    /// instance profile) keep refreshing in their own object (aws-tools-compat.md §2.5 step 4).
    /// </summary>
    internal sealed class DuckTypedCredentials : AWSCredentials
    {
        private readonly object _source;
        private readonly MethodInfo _getCredentials;

        private DuckTypedCredentials(object source, MethodInfo getCredentials)
        {
            _source = source;
            _getCredentials = getCredentials;
        }

        /// <summary>The type name of the wrapped object (never its contents).</summary>
        public string SourceTypeName => _source.GetType().FullName;

        /// <summary>Wraps <paramref name="source"/> when it has a public parameterless GetCredentials(); else null.</summary>
        public static DuckTypedCredentials TryCreate(object source)
        {
            if (source == null)
            {
                return null;
            }

            MethodInfo method = source.GetType().GetMethod("GetCredentials", BindingFlags.Instance | BindingFlags.Public, null, Type.EmptyTypes, null);
            if (method == null || method.ReturnType == typeof(void))
            {
                return null;
            }

            return new DuckTypedCredentials(source, method);
        }

        public override ImmutableCredentials GetCredentials()
        {
            object result;
            try
            {
                result = _getCredentials.Invoke(_source, null);
            }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                throw new AmiShareException(
                    ErrorIds.InvalidCredentialObject,
                    AmiShareErrorKind.AuthenticationError,
                    $"The credentials object of type '{SourceTypeName}' failed to produce credentials: {e.InnerException.Message}",
                    SourceTypeName,
                    "Refresh the credentials (for example run Set-AWSCredential again) or pass -ProfileName instead.",
                    e.InnerException);
            }

            if (result == null)
            {
                throw Invalid("returned nothing from GetCredentials()");
            }

            string accessKey = ReadString(result, "AccessKey");
            string secretKey = ReadString(result, "SecretKey");
            string token = ReadString(result, "Token");
            if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secretKey))
            {
                throw Invalid("returned credentials without an AccessKey and SecretKey");
            }

            return new ImmutableCredentials(accessKey, secretKey, string.IsNullOrEmpty(token) ? null : token);
        }

        private AmiShareException Invalid(string what) =>
            new AmiShareException(
                ErrorIds.InvalidCredentialObject,
                AmiShareErrorKind.InvalidArgument,
                $"The credentials object of type '{SourceTypeName}' {what}.",
                SourceTypeName,
                "Pass an AWS credentials object (New-AWSCredential / Get-AWSCredential), or use -ProfileName or -AccessKey/-SecretKey.");

        private static string ReadString(object o, string name)
        {
            PropertyInfo p = o.GetType().GetProperty(name, BindingFlags.Instance | BindingFlags.Public);
            return p?.GetValue(o) as string;
        }
    }
}
