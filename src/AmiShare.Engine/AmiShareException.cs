using System;

namespace AmiShare.Engine
{
    /// <summary>
    /// What kind of failure an <see cref="AmiShareException"/> is. The cmdlet layer maps each kind to a
    /// PowerShell ErrorCategory; the engine stays free of System.Management.Automation.
    /// </summary>
    public enum AmiShareErrorKind
    {
        NotSpecified,
        InvalidArgument,
        ObjectNotFound,
        PermissionDenied,
        InvalidOperation,
        LimitsExceeded,
        AuthenticationError,
        SecurityError,
        ConnectionError,
        OperationStopped,
    }

    /// <summary>
    /// The one exception type the engine lets out. <see cref="ErrorId"/> is stable and documented
    /// (see <see cref="ErrorIds"/>); <see cref="Target"/> is the value the error is about (an AMI id,
    /// a principal, a profile name); <see cref="Remedy"/> says what to do about it and is already part
    /// of <see cref="Exception.Message"/>.
    /// </summary>
    public sealed class AmiShareException : Exception
    {
        public AmiShareException(string errorId, AmiShareErrorKind kind, string message, object target = null, string remedy = null, Exception inner = null)
            : base(Compose(message, remedy), inner)
        {
            ErrorId = errorId ?? throw new ArgumentNullException(nameof(errorId));
            Kind = kind;
            Target = target;
            Remedy = remedy;
            Reason = message;
        }

        /// <summary>Stable PascalCase id, one of <see cref="ErrorIds"/>.</summary>
        public string ErrorId { get; }

        public AmiShareErrorKind Kind { get; }

        public object Target { get; }

        public string Remedy { get; }

        /// <summary>What went wrong, without the remedy (the Message carries both).</summary>
        public string Reason { get; }

        /// <summary>The AWS error code behind this error, when there was one (e.g. InvalidAMIID.NotFound).</summary>
        public string AwsErrorCode { get; set; }

        /// <summary>The AWS request id behind this error, when there was one.</summary>
        public string AwsRequestId { get; set; }

        private static string Compose(string message, string remedy)
        {
            if (string.IsNullOrEmpty(remedy))
            {
                return message;
            }

            // A message that quotes another (an OS error such as "Connection refused") may end without a full stop.
            string sentence = message.TrimEnd();
            if (sentence.Length > 0 && !".!?)".Contains(sentence[sentence.Length - 1].ToString()))
            {
                sentence += ".";
            }

            return sentence + " " + remedy.Trim();
        }
    }
}
