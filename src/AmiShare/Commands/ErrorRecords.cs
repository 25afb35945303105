using System.Management.Automation;
using AmiShare.Engine;

namespace AmiShare.Commands
{
    /// <summary>The one place engine errors become ErrorRecords: stable id, category, the item as target, the remedy.</summary>
    internal static class ErrorRecords
    {
        // pwsh 7's error view prints RecommendedAction under the message ("Recommendation: …"); Windows PowerShell 5.1
        // never shows it. The running edition can't change, so it is read once, from the engine assembly's version
        // (7.x on PowerShell 7, 3.0 on Windows PowerShell).
        private static readonly bool s_showsRecommendation = typeof(PSCmdlet).Assembly.GetName().Version.Major >= 7;

        /// <summary>An ErrorRecord for <paramref name="e"/> with <paramref name="target"/> (or the error's own target).</summary>
        public static ErrorRecord From(AmiShareException e, object target)
        {
            var record = new ErrorRecord(e, e.ErrorId, Map(e.Kind), target ?? e.Target);
            if (!string.IsNullOrEmpty(e.Remedy))
            {
                // Where the remedy is shown on its own, the message is the reason alone; on 5.1 it keeps the remedy.
                // The exception's Message always carries both.
                string shown = s_showsRecommendation ? e.Reason : e.Message;
                record.ErrorDetails = new ErrorDetails(shown) { RecommendedAction = e.Remedy };
            }

            return record;
        }

        private static ErrorCategory Map(AmiShareErrorKind kind)
        {
            switch (kind)
            {
                case AmiShareErrorKind.InvalidArgument: return ErrorCategory.InvalidArgument;
                case AmiShareErrorKind.ObjectNotFound: return ErrorCategory.ObjectNotFound;
                case AmiShareErrorKind.PermissionDenied: return ErrorCategory.PermissionDenied;
                case AmiShareErrorKind.InvalidOperation: return ErrorCategory.InvalidOperation;
                case AmiShareErrorKind.LimitsExceeded: return ErrorCategory.LimitsExceeded;
                case AmiShareErrorKind.AuthenticationError: return ErrorCategory.AuthenticationError;
                case AmiShareErrorKind.SecurityError: return ErrorCategory.SecurityError;
                case AmiShareErrorKind.ConnectionError: return ErrorCategory.ConnectionError;
                case AmiShareErrorKind.OperationStopped: return ErrorCategory.OperationStopped;
                default: return ErrorCategory.NotSpecified;
            }
        }
    }
}
