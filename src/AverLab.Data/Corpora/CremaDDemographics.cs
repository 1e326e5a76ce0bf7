namespace AverLab.Data.Corpora;

/// <summary>One row of CREMA-D's VideoDemographics.csv (ActorID,Age,Sex,Race,Ethnicity).</summary>
public sealed record CremaDDemographics(int ActorID, int Age, string Sex, string Race, string Ethnicity);
