namespace AmiShare.Engine
{
    /// <summary>
    /// What kind of failure an <see cref="AmiShareException"/> is. The cmdlet layer maps each kind to a
    /// PowerShell ErrorCategory; the engine stays free of System.Management.Automation.
    /// </summary>
    public enum AmiShareErrorKind
    {
        /// <summary>No more specific kind applies.</summary>
        NotSpecified,

        /// <summary>A value given to the command is not valid.</summary>
        InvalidArgument,

        /// <summary>The AMI, profile or other named object does not exist.</summary>
        ObjectNotFound,

        /// <summary>AWS refused the action for the caller.</summary>
        PermissionDenied,

        /// <summary>The object is not in a state that allows the action.</summary>
        InvalidOperation,

        /// <summary>A quota, size limit or retry budget was exceeded.</summary>
        LimitsExceeded,

        /// <summary>No credentials, or AWS rejected them.</summary>
        AuthenticationError,

        /// <summary>A security setting (such as block public access) forbids the action.</summary>
        SecurityError,

        /// <summary>The endpoint could not be reached.</summary>
        ConnectionError,

        /// <summary>The operation was stopped (cancelled) before it finished.</summary>
        OperationStopped,
    }
}
