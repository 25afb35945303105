using System;

namespace AmiShare.Engine.Gateways
{
    /// <summary>
    /// One entry of an error catalogue: the ErrorId and kind an AWS error becomes, the text template of its message
    /// and of its remedy (what to do about it), and whether the error names the call's subject as its target.
    /// </summary>
    internal sealed class AwsErrorTemplate
    {
        private readonly Func<AwsErrorContext, string> _message;
        private readonly Func<AwsErrorContext, string> _remedy;
        private readonly bool _targetsSubject;

        /// <summary>Creates a template.</summary>
        /// <param name="errorId">The stable ErrorId (<see cref="ErrorIds"/>).</param>
        /// <param name="kind">The error's kind (the cmdlet maps it to an ErrorCategory).</param>
        /// <param name="message">The message, from the failed call's context.</param>
        /// <param name="remedy">What to do about it, from the failed call's context.</param>
        /// <param name="targetsSubject">False for errors about the caller rather than the subject (rejected credentials): no target.</param>
        public AwsErrorTemplate(string errorId, AmiShareErrorKind kind, Func<AwsErrorContext, string> message, Func<AwsErrorContext, string> remedy, bool targetsSubject = true)
        {
            ErrorId = errorId;
            Kind = kind;
            _message = message;
            _remedy = remedy;
            _targetsSubject = targetsSubject;
        }

        /// <summary>Creates a template whose remedy is fixed text.</summary>
        /// <param name="errorId">The stable ErrorId.</param>
        /// <param name="kind">The error's kind.</param>
        /// <param name="message">The message, from the failed call's context.</param>
        /// <param name="remedy">What to do about it.</param>
        /// <param name="targetsSubject">False for errors about the caller rather than the subject: no target.</param>
        public AwsErrorTemplate(string errorId, AmiShareErrorKind kind, Func<AwsErrorContext, string> message, string remedy, bool targetsSubject = true)
            : this(errorId, kind, message, _ => remedy, targetsSubject)
        {
        }

        /// <summary>Gets the stable ErrorId.</summary>
        public string ErrorId { get; }

        /// <summary>Gets the error's kind.</summary>
        public AmiShareErrorKind Kind { get; }

        /// <summary>The engine's error for one failed call.</summary>
        /// <param name="context">The failed call.</param>
        /// <param name="inner">What the SDK threw, or null.</param>
        public AmiShareException Create(AwsErrorContext context, Exception inner) =>
            new AmiShareException(ErrorId, Kind, _message(context), _targetsSubject ? context.Target : null, _remedy(context), inner);
    }
}
