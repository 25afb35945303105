using System;

namespace AmiShare.Engine
{
    /// <summary>
    /// The one exception type the engine lets out. <see cref="ErrorId"/> is stable and documented
    /// (see <see cref="ErrorIds"/>); <see cref="Target"/> is the value the error is about (an AMI id,
    /// a principal, a profile name); <see cref="Remedy"/> says what to do about it and is already part
    /// of <see cref="Exception.Message"/>.
    /// </summary>
    public sealed class AmiShareException : Exception
    {
        /// <summary>Creates an error with a stable id, its kind, what went wrong, the value it is about and the fix.</summary>
        /// <param name="errorId">One of <see cref="ErrorIds"/>.</param>
        /// <param name="kind">What kind of failure it is.</param>
        /// <param name="message">What went wrong, naming the bad value.</param>
        /// <param name="target">The value the error is about (an AMI id, a principal, a profile name).</param>
        /// <param name="remedy">What to do about it; appended to the message.</param>
        /// <param name="inner">The error behind this one, if any.</param>
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

        /// <summary>What kind of failure this is (the cmdlet layer maps it to an ErrorCategory).</summary>
        public AmiShareErrorKind Kind { get; }

        /// <summary>The value the error is about (an AMI id, a principal, a profile name), or null.</summary>
        public object Target { get; }

        /// <summary>What to do about it, or null; already part of the message.</summary>
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
