namespace AmiShare.Engine
{
    /// <summary>
    /// How the engine talks back to its caller. The cmdlet implements it by queueing Write* calls for
    /// the pipeline thread; tests implement it with lists.
    /// </summary>
    public interface IShareReporter
    {
        /// <summary>One line per AWS call and per decision ("nothing to change").</summary>
        void Verbose(string message);

        /// <summary>Internals (credential/region source, request ids).</summary>
        void Debug(string message);

        /// <summary>Surprises the user must hear about (e.g. access kept through an organization).</summary>
        void Warning(string message);
    }

}
